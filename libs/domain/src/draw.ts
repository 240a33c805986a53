import type { Draw, DrawSource } from './tenant-period-state';

/** Sum of draws by source (missing sources 0). */
export declare function sumDraws(draws: readonly Draw[]): Record<DrawSource, number>;
