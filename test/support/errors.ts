// The McpRiskError a call throws, so a test can assert its code and message.
import { expect } from 'vitest';
import { McpRiskError } from '../../src/model/index.js';

export function thrownMcpRiskError(fn: () => unknown): McpRiskError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(McpRiskError);
    return error as McpRiskError;
  }
  throw new Error('expected an McpRiskError');
}
