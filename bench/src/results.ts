/** What a run produces, before it is printed or written down. */

export interface ThroughputRow {
  section: string;
  scenario: string;
  /** Successful responses per second; undefined when the row could not run. */
  rps?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** The same server's GET /api/health in the same run. */
  baselineRps?: number;
  /** Minimum ratio the issue asks for; undefined where it sets none. */
  target?: number;
  /** Share of one core the server process used during the measured run. */
  serverCpu?: number;
  baselineServerCpu?: number;
  failures?: number;
  /** Did replaying the credential right after logout (or revocation) get a 401? */
  rejectsAfterLogout?: boolean;
  note?: string;
}

/** A figure that is not a request rate (latency under a storm, memory, reader throughput). */
export interface FigureRow {
  section: string;
  figure: string;
  value: string;
  /** The figure against its reference in the same run, e.g. p99 under storm / quiet p99. */
  ratio?: number;
  ratioOf?: string;
  /** The most the issue allows for this ratio (e.g. 2 for a p99 under a login storm). */
  maxRatio?: number;
  note?: string;
}

export interface BenchResults {
  throughput: ThroughputRow[];
  figures: FigureRow[];
}

export function ratioOf(row: ThroughputRow): number | undefined {
  return row.rps === undefined || row.baselineRps === undefined || row.baselineRps === 0
    ? undefined
    : row.rps / row.baselineRps;
}

/**
 * The ratio of requests per second of server CPU: what the throughput ratio would be on
 * a machine where the server had its cores to itself (this one is shared).
 */
export function cpuRatioOf(row: ThroughputRow): number | undefined {
  const { rps, serverCpu, baselineRps, baselineServerCpu } = row;
  if (rps === undefined || baselineRps === undefined || !serverCpu || !baselineServerCpu || baselineRps === 0) {
    return undefined;
  }
  return rps / serverCpu / (baselineRps / baselineServerCpu);
}

export function meetsTarget(row: ThroughputRow): boolean | undefined {
  const ratio = ratioOf(row);
  return row.target === undefined || ratio === undefined ? undefined : ratio >= row.target;
}
