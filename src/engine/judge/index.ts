export { createJudge, UNSANDBOXED_SETTING, type Judge, type JudgeMode, type JudgeOptions } from "./judge.js";
export { selfTestSandbox, type SelfTestResult } from "./self-test.js";
export {
  codeFromBlocks,
  codeFromPlainText,
  extractCodeFromText,
  fencedFromText,
  type ExtractedCode,
  type ExtractionResult,
} from "./extract.js";
export { JudgeContentError, JudgeInternalError, JudgeRequestError } from "./errors.js";
export { DEFAULT_LIMITS, type JudgeLimits } from "./limits.js";
export { VERDICTS, type FailureDetail, type JudgeResult, type Language, type TestResult, type Verdict } from "./types.js";
