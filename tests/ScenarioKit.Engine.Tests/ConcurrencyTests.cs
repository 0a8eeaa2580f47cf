using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests;

// One runtime serves many conversations at once; a hostile expression in one conversation does not disturb the others.
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Parallel_conversations_on_one_runtime_are_independent()
    {
        var reference = Load(ReferenceModel.Build());
        var hostile = Load(Scenario() with
        {
            Fallback = M("fallback"),
            Intents = [Intent("loop", patterns: ["loop"])],
            Flows = [Flow("loop", "loop", If("loop/0", "(() => { while (true) {} })()", [Say("loop/0/then/0", "never")]))],
        });
        var workers = Enumerable.Range(0, 6).Select(w => Task.Run(() =>
        {
            for (var c = 0; c < 60; c++)
            {
                if (w == 0)
                {
                    var bad = new Chat(hostile, conversationId: $"bad-{c}");
                    Assert.Equal(["fallback"], bad.Reply("loop"));
                    continue;
                }
                var chat = new Chat(reference, new DefaultActionInvoker(new HttpClient(), TimeProvider.System), conversationId: $"w{w}-c{c}");
                Assert.Equal([ReferenceModel.Greeting], chat.Reply("hello"));
                Assert.Equal([ReferenceModel.AskOrderNumber], chat.Reply("where is my order"));
                Assert.Equal([ReferenceModel.Retry(1)], chat.Reply("abc"));
                Assert.Equal(["Order 87654321: being prepared for shipping.", ReferenceModel.AnythingElse], chat.Reply("87654321"));
                Assert.Equal(["<handoff>", ReferenceModel.HandoffText], chat.Reply("talk to a human"));
                Assert.Equal("87654321", (string?)chat.Last!.Handoff!.ToEventValue()["orderNumber"]);
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(workers);
    }
}
