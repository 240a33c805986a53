/**
 * Domain synonyms folded into one word before classification, and a light stemmer, so that the classifier
 * generalises from "raise dev by 10k" to "bump dev by 10k" without an example of every verb. Entity readers do
 * not use this: they see the words as typed.
 */

const GROUPS: Readonly<Record<string, readonly string[]>> = {
  raise: ['raise', 'increase', 'bump', 'grow', 'boost', 'extend', 'up'],
  lower: ['lower', 'reduce', 'decrease', 'cut', 'trim', 'shrink', 'drop', 'remove', 'away', 'down'],
  move: ['move', 'transfer', 'shift', 'reallocate', 'reassign', 'went', 'moved', 'moving', 'shifted', 'transferred'],
  set: ['set', 'allocate', 'assign', 'make', 'put', 'update', 'change'],
  alert: ['alert', 'notification', 'notify', 'ping', 'message'],
  on: ['enable', 'subscribe', 'bind', 'on', 'route', 'send', 'sending', 'start', 'post', 'want'],
  off: ['stop', 'disable', 'mute', 'silence', 'unsubscribe', 'unbind', 'off', 'cancel', 'pause', 'no'],
  help: ['help', 'command', 'commands', 'menu', 'options', 'option', 'what can', 'understand', 'instructions'],
  thanks: ['thanks', 'thank', 'thx', 'ty', 'cheers', 'appreciated', 'cool', 'perfect', 'awesome', 'great', 'nice'],
  stage: ['stage', 'status', 'state', 'health', 'overview', 'summary', 'report'],
  left: ['left', 'remaining', 'remain', 'remains', 'balance'],
  use: ['use', 'used', 'consume', 'consumed', 'spend', 'spent', 'burn', 'burned', 'burnt', 'usage', 'consumption'],
  top: ['most', 'biggest', 'largest', 'heaviest', 'highest', 'leaderboard', 'ranking', 'rank'],
  why: ['why', 'explain', 'reason', 'rule', 'cause'],
  refused: ['refused', 'denied', 'failing', 'failed', 'fail', 'rejected'],
  allocation: ['allocation', 'allocations', 'allocated'],
  unassigned: ['unassigned', 'unallocated'],
  capacity: ['capacity', 'entitlements'],
  forecast: ['forecast', 'projection', 'projected', 'predict', 'prediction', 'exhaust', 'last', 'long'],
  addon: ['addon', 'add-on', 'addons', 'add-ons', 'pack', 'packs', 'license', 'licenses', 'seats', 'entitlement'],
  end: ['end', 'ends', 'ending', 'expire', 'expires', 'lose', 'renewed', 'ran', 'cancelled'],
  buy: ['buy', 'bought', 'purchase', 'another', 'extra', 'adding', 'had'],
  whatif: ['if', 'simulate', 'simulation', 'impact', 'happens', 'happen', 'would'],
  need: ['need', 'needs', 'request', 'requesting', 'ask', 'could', 'get'],
  unused: ['unused', 'idle', 'untouched'],
  over: ['over', 'overage', 'exceed', 'exceeded', 'above'],
  near: ['near', 'close', 'almost', 'warning'],
  give: ['give', 'gimme', 'grant'],
};

const CANONICAL = new Map<string, string>();
for (const [canon, words] of Object.entries(GROUPS)) for (const w of words) if (!w.includes(' ')) CANONICAL.set(w, canon);

/** "environments" → "environment", "moving" → "mov"; short words are left alone. */
function stem(word: string): string {
  if (word.length <= 4 || word.includes('token')) return word;
  return word.replace(/(ing|ed|es|s)$/, '');
}

/** The word the classifier sees for `word`. */
export function canonicalWord(word: string): string {
  return CANONICAL.get(word) ?? CANONICAL.get(stem(word)) ?? stem(word);
}
