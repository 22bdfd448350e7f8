/** Field ids of common.thrift's `Value` union, shared by the value reader and writer. */
export const ValueField = {
  nVal: 1,
  bVal: 2,
  iVal: 3,
  fVal: 4,
  sVal: 5,
  dVal: 6,
  tVal: 7,
  dtVal: 8,
  vVal: 9,
  eVal: 10,
  pVal: 11,
  lVal: 12,
  mVal: 13,
  uVal: 14,
  gVal: 15,
} as const;
