/** One set of Pulumi mocks for every SDK test file (setMocks is process-wide). */
import * as pulumi from "@pulumi/pulumi";

export type Registered = { type: string; name: string; inputs: Record<string, unknown>; id?: string };
export const registered: Registered[] = [];

pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs, id: args.id });
            // Echo the inputs as outputs, with an ObjectId like CUPI's; PortGroupMwi reports what it found.
            // An adopted object keeps its id, as the provider reports it.
            const adopted = typeof args.inputs.adopt === "string" ? args.inputs.adopt.split("/").pop() : undefined;
            const state: Record<string, unknown> = { ...args.inputs, objectId: adopted ?? "99999999-9999-4999-8999-999999999999" };
            if (args.type.endsWith(":PortGroupMwi")) Object.assign(state, { previousMwiOnCode: "", previousMwiOffCode: "" });
            const id = args.id ?? (typeof args.inputs.adopt === "string" ? args.inputs.adopt : "99999999-9999-4999-8999-999999999999");
            return { id, state };
        },
        call: () => ({}),
    },
    "pulumi-cuc",
    "test",
    false,
);

export const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => resolve(v)));
