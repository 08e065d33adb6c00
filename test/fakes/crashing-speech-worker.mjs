// A speech worker that dies at once, the way libvosk's abort() kills the real
// one while it loads a model: tests SpeechService's retry limit.
process.kill(process.pid, 'SIGABRT');
