// The smallest RepositoryInterface unleash-client's evaluator accepts: definitions held in memory and
// swapped whole, so an evaluation never sees half of a reload.
import { EventEmitter } from 'node:events';
import type { EnhancedFeatureInterface, FeatureInterface, RepositoryInterface, Segment } from './sdk.js';

export class MemoryRepository extends EventEmitter implements RepositoryInterface {
  private features = new Map<string, FeatureInterface>();
  private segments = new Map<number, Segment>();

  replace(features: readonly FeatureInterface[], segments: readonly Segment[]): void {
    this.features = new Map(features.map((f) => [f.name, f]));
    this.segments = new Map(segments.map((s) => [s.id, s]));
  }

  getToggle(name: string): FeatureInterface | undefined {
    return this.features.get(name);
  }

  getToggles(): FeatureInterface[] {
    return [...this.features.values()];
  }

  getTogglesWithSegmentData(): EnhancedFeatureInterface[] {
    return this.getToggles().map((f) => ({
      ...f,
      strategies: f.strategies?.map((s) => ({ ...s, segments: s.segments?.map((id) => this.segments.get(id)) })),
    }));
  }

  getSegments(): Segment[] {
    return [...this.segments.values()];
  }

  getSegment(id: number): Segment | undefined {
    return this.segments.get(id);
  }

  async start(): Promise<void> {}

  stop(): void {}
}
