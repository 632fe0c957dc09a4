#!/usr/bin/env node
/** `pulumi-resource-cuc`: the engine starts it and reads the port it listens on from stdout. */
import { serve } from "./server";

serve().catch((e: Error) => {
    console.error(`pulumi-resource-cuc: ${e.message}`);
    process.exit(1);
});
