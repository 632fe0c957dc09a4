export * as specs from "./specs";
export * from "./client";
