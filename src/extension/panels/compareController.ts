import type { RunService, RunSnapshot } from '../runService';
import type { FromWebview, ToView, ViewReply, ViewRequest } from '../../protocol/webview';
import { buildCompare } from '../../engine/views/compareModel';
import { isKernelName, kernelChoices } from '../../engine/kernel/presets';
import {
  hasTrace,
  isLatestOwnRun,
  longLockThreshold,
  unsupported,
  whyEmpty,
  type ViewController,
} from './controller';

/** Two variants of one scenario, run side by side. */
export class CompareController implements ViewController<'compare'> {
  readonly view = 'compare';

  constructor(
    private readonly runs: RunService,
    readonly uri: string,
    private variants: [string, string],
  ) {}

  async model(): Promise<ToView['compare']> {
    const [a, b] = await Promise.all(this.variants.map((v) => this.runOf(v)));
    if (!hasTrace(a)) return whyEmpty(this.uri, a);
    if (!hasTrace(b)) return whyEmpty(this.uri, b);
    const model = buildCompare(
      { label: a.variant, variant: a.variant, summary: a.summary, trace: a.trace },
      { label: b.variant, variant: b.variant, summary: b.summary, trace: b.trace },
      longLockThreshold(a).ns,
    );
    return { type: 'compare', uri: this.uri, model, variants: kernelChoices() };
  }

  /** The document's own run serves when it already has the variant; otherwise run it. */
  private async runOf(variant: string): Promise<RunSnapshot | undefined> {
    const own = this.runs.latest(this.uri);
    return own && own.variant === variant ? own : this.runs.run(this.uri, { variant });
  }

  concerns(run: RunSnapshot): boolean {
    // An edit re-runs the document's own variant; model() then re-runs the other side.
    return isLatestOwnRun(this.runs, this.uri, run);
  }

  handle(message: FromWebview): boolean {
    if (message.type !== 'compareVariants') return false;
    if (!isKernelName(message.a) || !isKernelName(message.b)) return false;
    this.variants = [message.a, message.b];
    return true;
  }

  async answer(request: ViewRequest): Promise<ViewReply> {
    return unsupported(this.view, request);
  }
}
