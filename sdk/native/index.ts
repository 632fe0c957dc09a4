// The native-mode entry (`pulumi-cuc/native`): the generated classes and functions, and the Provider.
export * from "../generated/native";
