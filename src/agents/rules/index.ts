// Deterministic implementations of the agent ports: what answers when no LLM does (source "rules").
export { RulesDirector, rulesRanking, prose } from './director.ts';
export { RulesReviewer, diagnose } from './reviewer.ts';
export { RulesTranslator } from './translator.ts';
export { approveAll, approveAllAndPromote, PREAPPROVE_PROMOTE, vetoAll, approverFor, scriptedApprover, type ScriptedApprover } from './approvers.ts';
