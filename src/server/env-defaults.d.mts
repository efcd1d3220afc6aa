export declare const DEFAULTS: Readonly<{
  PORT: number;
  SIMULATOR_PORT: number;
  DATABASE_POOL_MAX: number;
  UPLOAD_MAX_BYTES: number;
  UPLOAD_MAX_FILES: number;
  UPLOAD_BLOCKED_TYPES: string;
  UPLOAD_CONCURRENCY: number;
  PARLEY_DATA_DIR: string;
}>;
export declare function actionBodyLimit(uploadMaxBytes?: number): number;
