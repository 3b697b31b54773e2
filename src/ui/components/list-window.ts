/**
 * Which rows of a list fit in `height` lines with the selected one in view. The window is derived
 * from the selection alone, so it comes back the same after a redraw or a detach.
 */
export function listWindow(count: number, selected: number, height: number): { start: number; end: number } {
  if (height <= 0) return { start: 0, end: 0 };
  if (count <= height) return { start: 0, end: count };
  const index = Math.min(Math.max(selected, 0), count - 1);
  const start = Math.min(Math.max(0, index - Math.floor(height / 2)), count - height);
  return { start, end: start + height };
}
