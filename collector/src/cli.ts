console.log("llmscope");
