export declare const DEFAULTS: Readonly<{
  PORT: number;
  SIMULATOR_PORT: number;
  DATABASE_POOL_MAX: number;
  UPLOAD_MAX_BYTES: number;
  PARLEY_DATA_DIR: string;
}>;
