import type { TargetConfig } from '../config/schema.js';
import { OllamaProvider } from './ollama.js';
import { OpenAiProvider } from './openai.js';
import { DEFAULT_REPLY_LIMITS, type ReplyLimits } from './replyLimits.js';
import type { Provider } from './types.js';

export function createProvider(target: TargetConfig, limits: ReplyLimits = DEFAULT_REPLY_LIMITS): Provider {
  return target.provider === 'openai'
    ? new OpenAiProvider({ url: target.url, limits, ...(target.apiKey ? { apiKey: target.apiKey } : {}) })
    : new OllamaProvider({ url: target.url, limits });
}
