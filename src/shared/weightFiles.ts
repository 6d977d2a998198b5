/** The PyTorch checkpoint files the lab imports weights from (CLI `import`, Load weights… in the UI and on the host). */
export const TORCH_WEIGHT_FILE = /\.(pth|pt|safetensors)$/i;

export const notATorchCheckpoint = (name: string): string => `${name} is not a PyTorch checkpoint: choose a .pth, .pt or .safetensors file`;
