import type { TargetConfig } from '../config/schema.js';
import { OllamaProvider } from './ollama.js';
import { OpenAiProvider } from './openai.js';
import type { Provider } from './types.js';

export function createProvider(target: TargetConfig): Provider {
  return target.provider === 'openai'
    ? new OpenAiProvider({ url: target.url, ...(target.apiKey ? { apiKey: target.apiKey } : {}) })
    : new OllamaProvider({ url: target.url });
}
