using Microsoft.Extensions.Logging;
using ScenarioKit.Engine.Tests.Support;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Runtime;

public sealed class LoggingTests
{
    sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }

    [Fact]
    public void Runtime_errors_are_logged_with_conversation_and_span()
    {
        var model = Scenario() with
        {
            Fallback = M("fallback"),
            Intents = [Intent("bad", patterns: ["bad"])],
            Flows = [Flow("bad", "bad", Say("bad/0", "${missing.value}"))],
        };
        var logger = new ListLogger();
        var chat = new Chat(Load(model), conversationId: "conv-log");
        chat.Services = chat.Services with { Logger = logger };
        var result = chat.User("bad");
        var error = Assert.Single(result.Trace.Errors);
        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("conv-log", message, StringComparison.Ordinal);
        Assert.Contains($"test.yaml({error.Span.Line},", message, StringComparison.Ordinal);
        Assert.Contains("missing", message, StringComparison.Ordinal);
    }
}
