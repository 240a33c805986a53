/** Text clean-up shared by the classifier and the entity readers. */

/** Lower case, curly quotes straightened, Slack mentions of the bot dropped; punctuation kept. */
export function lowerText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b`´]/g, "'")
    .replace(/<@[^>]+>/g, ' ');
}

/** Lower case, punctuation dropped (dashes and underscores inside names kept), "'s" and "n't" unfolded. */
export function normalizeText(text: string): string {
  return lowerText(text)
    .replace(/'s\b/g, ' ')
    .replace(/n't\b/g, ' not')
    .replace(/[^\p{L}\p{N}\s_-]+/gu, ' ')
    .replace(/(^|\s)[-_]+|[-_]+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words that never name an environment or a user: question words, fillers and the words of every intent. */
export const FILLER = new Set(
  `a an the of in on at for to from by with about and or is are was were be been being am do does did done doing
  how many much what which who whom whose when where why will would shall should can could may might must
  i me my we us our you your it its this that these those there here they them their
  please pls plz thanks thank thx hi hello hey yo ok okay so just now right currently current still yet again
  tell show give get got gimme let know see check display list find say whats
  credit credits balance balances left remaining remain remains over available availability capacity
  quota quotas allowance budget budgets usage use used using consume consumed consuming consumption spent spend
  status stage stages state health healthy overview summary report environment environments env envs
  tenant tenants whole total overall all every everything entire org organisation organization company workspace
  have has had having month months monthly period today week this
  top most biggest largest heaviest highest greatest user users people person consumers consumer
  ranking rank ranked leaderboard spender spenders capability capabilities feature features model models
  forecast forecasts projection projected project predict prediction run runs running out last lasting
  exhaust exhausted exhaustion burn burned burnt rate long until till before end ends expected going
  blocked block overage warning warnings trouble problem problems limit limits near close
  trial trials free previous prior past any some more numtoken periodtoken usertoken
  move moved moving moves transfer transferred shift shifted reallocate reassign went
  set make change update put assign assigned allocate allocation allocations allocated unassigned
  raise increase bump up grow add added adding lower reduce decrease cut trim shrink remove take away extra less
  if happens happen happened simulate simulation impact buy purchase bought another one adds addon addons add-on add-ons
  pack packs license licenses seats seat entitlement entitlements ending expire expires lose drop cancel renewed renew
  not no need needs request requesting requested ask admins team additional into changes change changed
  explain reason rule refused refuse denied deny failing fail fails failed build building then it ok
  unused idle untouched source sources come drawn draw draws
  payg turn turned switch off stop enable disable allow let pool drawing again own only cap capped unlimited without
  resume pause`.split(/\s+/),
);

/** The words of `normalized` that are not fillers, joined by single spaces. */
export const contentWords = (normalized: string): string =>
  normalized
    .split(' ')
    .filter((w) => w !== '' && !FILLER.has(w))
    .join(' ');
