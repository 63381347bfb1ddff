// A small chat server embedding memdedup: each turn's facts are submitted (cheap, synchronous), the
// user's memories are recalled for the prompt, the memory API is mounted under /api/memory and the
// metrics at /metrics, and SIGTERM drains before exiting. The "model" is a stand-in: swap in your LLM.
import express from 'express';
import { createEngine, createRouter, metricsHandler } from 'memdedup';

const memory = await createEngine(); // SQLite in ./data, the package's shipped flags

/** Facts the user states about themselves, as third-person memories ("I am vegetarian" -> "User is vegetarian"). */
function extractFacts(message) {
  return message.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter((s) => /^(i|i'm|my)\b/i.test(s))
    .map((s) => s.replace(/^i'm\b/i, 'User is').replace(/^i am\b/i, 'User is').replace(/^my\b/i, "User's").replace(/^i\b/i, 'User'));
}

const app = express();
app.post('/chat', express.json(), async (req, res) => {
  const { userId, message } = req.body ?? {};
  if (typeof userId !== 'string' || typeof message !== 'string') {
    res.status(400).json({ error: 'userId and message are required strings' });
    return;
  }
  // Recall before this turn's facts are decided: the prompt sees what was known so far.
  const remembered = await memory.recall(userId, { query: message, limit: 5 });
  const prompt = [...remembered.map((m) => `Known about the user: ${m.text}`), `User: ${message}`].join('\n');
  const facts = extractFacts(message);
  const submissions = facts.map((text) => memory.submit({ userId, text, source: 'chat' }));
  // A real server answers without waiting; `?wait=1` lets a test see the decisions.
  const decisions = req.query.wait ? await Promise.all(submissions.map((s) => s.decided)) : undefined;
  res.json({ reply: `(model reply to a ${prompt.split('\n').length}-line prompt)`, remembered: remembered.map((m) => m.text), facts,
    ...(decisions ? { decisions: decisions.map((d) => d.action) } : {}) });
});
app.use('/api/memory', createRouter(memory, { token: process.env.MEMORY_API_TOKEN || undefined }));
app.get('/metrics', metricsHandler(memory));

const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`chat server on http://${process.env.HOST ?? '127.0.0.1'}:${server.address().port}`);
});

process.on('SIGTERM', async () => {
  server.close();
  const drained = await memory.drain(10_000); // what is left stays in the journal for the next start
  await memory.close();
  console.log(`stopped (${drained ? 'drained' : 'rest left in the journal'})`);
  process.exit(0);
});
