export * as specs from "./specs";
