/**
 * The plans of several targets as one output: a section per target, its addresses naming the
 * target, and one verdict over all of them. A config without targets shows its plan as it is.
 */
import { targetsVerdict, withTargetAddresses, type Plan } from '../core/plan.js';
import { GITHUB_COMMENT_LIMIT, planMarker, renderPlanMarkdown, type MarkdownOptions } from './markdown.js';
import { renderPlanText, type TextOptions } from './text.js';

const single = (plans: readonly Plan[]) => plans.length === 1 && plans[0].target.name === undefined;

export function renderPlansText(plans: readonly Plan[], options: TextOptions): string {
  if (single(plans)) return renderPlanText(plans[0], options);
  const sections = plans.map((plan) => renderPlanText(withTargetAddresses(plan), options));
  return `${sections.join('\n')}\n${targetsVerdict(plans)}\n`;
}

/**
 * One pull-request comment for every target: the marker and the verdict once, then each target's
 * plan as a section. Each section gets an even share of GitHub's limit, so one large target
 * cannot push the others out.
 */
export function renderPlansMarkdown(plans: readonly Plan[], options: MarkdownOptions = {}): string {
  if (single(plans)) return renderPlanMarkdown(plans[0], options);
  const kind = options.kind ?? 'plan';
  const head = [planMarker(plans[0].project, kind), `## streamform ${kind === 'plan' ? 'plan' : 'drift report'} for \`${plans[0].project}\`: ${plans.length} targets`, '', `**${options.summary ?? targetsVerdict(plans)}**`].join('\n');
  const share = Math.floor(((options.maxLength ?? GITHUB_COMMENT_LIMIT) - head.length - 200) / plans.length);
  const sections = plans.map((plan) => {
    const [, , ...body] = renderPlanMarkdown(withTargetAddresses(plan), { kind, maxLength: share }).split('\n');
    // In place of the comment's marker and heading (one comment has one of each): the target's own.
    return [`### Target \`${plan.target.name}\``, ...body].join('\n');
  });
  return `${head}\n\n${sections.join('\n')}`;
}
