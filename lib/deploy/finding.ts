// One line of doctor's report: what was checked, how it went, and what to do about it.
export type FindingStatus = 'ok' | 'warn' | 'fail' | 'skip';
export interface Finding {
  check: string;
  status: FindingStatus;
  message: string;
  fix?: string;
}
