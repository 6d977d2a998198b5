/** Values per anchor: 4 box + 1 objectness + K classes (both for anchor-based and anchor-free heads). */
export const yoloChannels = (classes: number, anchors: number): number => Math.max(1, anchors) * (5 + classes);
