/**
 * Block Kit's limits, as Slack checks them when a message is posted: the fake answers
 * `invalid_blocks` to blocks Slack would refuse, so a rendering that breaks a limit fails its test
 * the way it would fail in Slack. Only the blocks and fields mockdesign uses are known.
 */

/** Slack's limits (https://api.slack.com/reference/block-kit/blocks). */
export const BLOCK_KIT_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  contextElements: 10,
  contextText: 3000,
  actionElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

type Node = Record<string, unknown>;

/** What is wrong with `blocks` by Slack's rules, or undefined when Slack would take them. */
export function blockKitProblem(blocks: readonly unknown[]): string | undefined {
  const L = BLOCK_KIT_LIMITS;
  if (blocks.length > L.blocks) return `${blocks.length} blocks (at most ${L.blocks})`;
  for (const [index, block] of blocks.entries()) {
    const problem = blockProblem(block);
    if (problem) return `block ${index}: ${problem}`;
  }
  return undefined;
}

function blockProblem(block: unknown): string | undefined {
  const L = BLOCK_KIT_LIMITS;
  if (!isNode(block)) return 'not an object';
  switch (block.type) {
    case 'header':
      return textProblem(block.text, 'plain_text', L.headerText);
    case 'section':
      return textProblem(block.text, undefined, L.sectionText);
    case 'divider':
      return undefined;
    case 'context': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > L.contextElements) {
        return `${elements.length} context elements (1 to ${L.contextElements})`;
      }
      for (const element of elements) {
        const problem = textProblem(element, undefined, L.contextText);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'actions': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > L.actionElements) {
        return `${elements.length} action elements (1 to ${L.actionElements})`;
      }
      const ids = elements.map((e) => (isNode(e) ? e.action_id : undefined));
      if (new Set(ids).size !== ids.length) return 'two elements with one action_id';
      for (const element of elements) {
        const problem = buttonProblem(element);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return `unknown block type ${String(block.type)}`;
  }
}

function buttonProblem(button: unknown): string | undefined {
  const L = BLOCK_KIT_LIMITS;
  if (!isNode(button) || button.type !== 'button') return 'not a button';
  if (typeof button.action_id !== 'string' || button.action_id === '') return 'no action_id';
  if (button.style !== undefined && button.style !== 'primary' && button.style !== 'danger') {
    return `button style ${String(button.style)}`;
  }
  if (
    button.value !== undefined &&
    (typeof button.value !== 'string' || button.value.length > L.buttonValue)
  ) {
    return `button value of ${String(button.value).length} characters (at most ${L.buttonValue})`;
  }
  const text = textProblem(button.text, 'plain_text', L.buttonText);
  if (text || button.confirm === undefined) return text;
  const confirm = button.confirm;
  if (!isNode(confirm)) return 'confirm is not an object';
  return (
    textProblem(confirm.title, 'plain_text', L.confirmTitle) ??
    textProblem(confirm.text, undefined, L.confirmText) ??
    textProblem(confirm.confirm, 'plain_text', L.confirmButton) ??
    textProblem(confirm.deny, 'plain_text', L.confirmButton)
  );
}

/** A text object of `type` (plain_text or mrkdwn when undefined) with 1 to `max` characters. */
function textProblem(text: unknown, type: string | undefined, max: number): string | undefined {
  if (!isNode(text) || typeof text.text !== 'string') return 'no text object';
  if (text.type !== (type ?? text.type) || (text.type !== 'plain_text' && text.type !== 'mrkdwn')) {
    return `text of type ${String(text.type)}`;
  }
  if (text.text.length === 0 || text.text.length > max) {
    return `text of ${text.text.length} characters (1 to ${max})`;
  }
  return undefined;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
