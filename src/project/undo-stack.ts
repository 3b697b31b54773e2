import { log } from '../log.js';

/**
 * A half-done operation must leave things as they were: each step that changes something pushes
 * how to take it back, and a failure runs those in reverse.
 */
export class UndoStack {
  private readonly steps: { label: string; undo: () => Promise<unknown> }[] = [];

  push(label: string, undo: () => Promise<unknown>): void {
    this.steps.push({ label, undo });
  }

  async rollBack(): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step.undo();
      } catch (error) {
        log.error('undo failed', { step: step.label, error: String(error) });
      }
    }
    this.steps.length = 0;
  }
}
