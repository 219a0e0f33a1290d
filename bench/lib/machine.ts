/** The machine a result was measured on. */
import { cpus, loadavg, platform, release, arch, totalmem } from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  platform: string;
  arch: string;
  memoryGB: number;
  node: string;
  /** 1-minute load average when the run started (other work on the machine skews timings). */
  loadAverage: number;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    platform: `${platform()} ${release()}`,
    arch: arch(),
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
  };
}
