import pg from 'pg';

/** PostgreSQL type oids (src/include/catalog/pg_type.dat): bigint, numeric. */
const INT8 = 20;
const NUMERIC = 1700;

/**
 * Integers come back as JS numbers on both engines (the SqlExecutor's promise). node-postgres
 * returns bigint and numeric as strings by default (they may exceed 2^53); our values (epoch ms,
 * counts, Kaltura ids) never do, and one that did would be a corrupt row, so it is refused rather
 * than rounded. Given to each Pool as its `types` (never pg's process-wide registry, which would
 * change every other pg user in the process).
 * @see https://node-postgres.com/features/types
 */
export const postgresTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return parseBigint;
    if (oid === NUMERIC) return parseNumeric;
    return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format);
  },
} as pg.CustomTypesConfig;

function parseBigint(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`a bigint column holds ${text}, beyond JavaScript's exact integers`);
  return n;
}

const parseNumeric = (text: string): number => Number(text);
