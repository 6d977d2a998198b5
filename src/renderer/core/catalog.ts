/** The template and composite catalogs (src/shared/templates), re-exported for the renderer. */
export { TEMPLATES, COMPOSITES } from '../../shared/templates';
