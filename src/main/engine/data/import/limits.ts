/** Bounds on what a folder import accepts, so that a hostile or broken file cannot make it allocate without limit. */

/** Most classes a dataset may have (class folders, names in classes.txt / data.yaml, or YOLO class ids). */
export const MAX_CLASSES = 10_000;
/** Bad lines reported per label file; the rest are counted in one more entry. */
export const MAX_ISSUES_PER_FILE = 20;
