export { startSimulator, DEFAULT_USER, DEFAULT_PASSWORD, page } from "./server";
export type { Simulator, SimulatorOptions, SimulatorStats, Faults } from "./server";
export { generateDataset, seededGuid, KINDS } from "./dataset";
export type { Dataset, Kind, GenerateOptions } from "./dataset";
export { Store } from "./store";
export { SimError } from "./errors";
