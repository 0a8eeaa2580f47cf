using ScenarioKit.Cli.Chat;
using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Engine;
using ScenarioKit.Language;
using Spectre.Console;
using Spectre.Console.Testing;

namespace ScenarioKit.Cli.Tests.Chat;

public sealed class ChatSessionTests
{
    /// <summary>A reader like an idle terminal: a read never completes.</summary>
    sealed class IdleReader : TextReader
    {
        public override Task<string?> ReadLineAsync() => new TaskCompletionSource<string?>().Task;
        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => new(new TaskCompletionSource<string?>().Task);
    }

    static (ChatSession Session, TestConsole Console) Create()
    {
        var package = ScenarioCompiler.Compile(Scenarios.Reference).Package ?? throw new InvalidOperationException("the reference scenario does not compile");
        var runtime = ScenarioRuntime.Load(package);
        var console = new TestConsole().Width(200).SupportsAnsi(false).Colors(ColorSystem.NoColors);
        var actions = new MockActionInvoker(new Dictionary<string, ActionOutcome>());
        var clock = new OffsetTimeProvider(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero), TimeProvider.System);
        return (new ChatSession(runtime, actions, new PlainChatView(console, console), new ChatHub(agentsOnline: 1), clock), console);
    }

    [Fact]
    public async Task Ctrl_C_ends_a_chat_that_waits_for_input()
    {
        var (session, console) = Create();
        using var cts = new CancellationTokenSource();

        var run = session.RunAsync(new IdleReader(), echo: false, cts.Token);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(run.IsCompletedSuccessfully);
        Assert.DoesNotContain("you:", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unmocked_action_failure_is_shown_as_a_warning_and_the_chat_goes_on()
    {
        var (session, console) = Create();

        await session.RunAsync(new StringReader("where is my order\n12345678\n"), echo: true, TestContext.Current.CancellationToken);

        Assert.Equal(
            """
            you: where is my order
            bot: Sure. Please type your 8-digit order number.
            you: 12345678
            warning: scenario.yaml(73,9): action 'lookupOrder' has no mock
            bot: I couldn't find order 12345678.
            bot: Anything else?
            """, console.Output.ReplaceLineEndings("\n").Trim());
    }
}
