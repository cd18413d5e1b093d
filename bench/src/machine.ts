import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: string;
  os: string;
  node: string;
  autocannon: string;
  loadAverageAtStart: string;
  loadAverageAtEnd: string;
}

const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');

export function describeMachine(): Machine {
  const autocannon = JSON.parse(readFileSync(new URL(import.meta.resolve('autocannon/package.json')), 'utf8')) as {
    version: string;
  };
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: (totalmem() / 2 ** 30).toFixed(0),
    os: `${type()} ${release()}`,
    node: process.version,
    autocannon: autocannon.version,
    loadAverageAtStart: loadAverage(),
    loadAverageAtEnd: '',
  };
}

export function finishMachine(machine: Machine): Machine {
  return { ...machine, loadAverageAtEnd: loadAverage() };
}
