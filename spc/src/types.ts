// The public vocabulary of @llmscope/spc. Every other module and every consumer
// (collector, panel) codes against these names.

export type RuleId = 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6' | 'R7' | 'R8' | 'WE1' | 'WE2' | 'WE3' | 'WE4' | 'EWMA' | 'CUSUM';

// Severities and their order are part of the contract between the packages (stored in
// violations.severity); re-exported here so rule metadata and its consumers share one definition.
import type { Severity } from '@llmscope/contract';
export type { Severity };

export interface RuleInfo {
  id: RuleId;
  name: string;
  description: string;
  severity: Severity;
}

export type SigmaMethod = 'mr' | 'mmr' | 'sd';
export type Transform = 'none' | 'log';

/** Limits in the charted scale (ln of the value when transform = 'log'). */
export interface ControlLimits {
  center: number;
  sigma: number;
  ucl: number;
  lcl: number;
  /** How many points the estimate used (after Phase I cleaning); 0 for known limits. */
  n: number;
  sigmaMethod: SigmaMethod;
  transform: Transform;
}

/** Limits back-transformed to the original unit; asymmetric around the centre for 'log'. */
export interface DisplayLimits {
  center: number;
  sigma: number;
  ucl: number;
  lcl: number;
  plus1: number;
  minus1: number;
  plus2: number;
  minus2: number;
}

export type RunLengthRule = 'R2' | 'R3' | 'R4' | 'R7' | 'R8';

export interface EwmaConfig {
  lambda: number;
  L: number;
}
export interface CusumConfig {
  k: number;
  h: number;
}

export interface RuleConfig {
  /** Default 'nelson' (R1..R8); 'western-electric' evaluates WE1..WE4 instead. */
  preset?: 'nelson' | 'western-electric';
  runLengths?: Partial<Record<RunLengthRule, number>>;
  /** Off unless given. */
  ewma?: EwmaConfig | false;
  /** Off unless given; k and h in sigma units. */
  cusum?: CusumConfig | false;
}

/** One rule flagging one point; index is 0-based. */
export interface RuleHit {
  index: number;
  rule: RuleId;
}
