// What a benchmark printed → its JSON results. A result is any JSON object or array that starts at the
// beginning of a line, on one line or indented over many (reads.bench.ts); other lines are logs.
export function parseBenchOutput(stdout: string): unknown[] {
  const lines = stdout.split("\n");
  const results: unknown[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*[[{]/.test(lines[i]!)) continue;
    // Grow the candidate line by line until it parses: the shortest complete document wins.
    for (let j = i; j < lines.length; j++) {
      try {
        results.push(JSON.parse(lines.slice(i, j + 1).join("\n")));
        i = j;
        break;
      } catch {}
    }
  }
  return results;
}
