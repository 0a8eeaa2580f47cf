using ScenarioKit.Server.Hosting;
using System.Text.Json;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Endpoints;

/// <summary>The real pipeline: scenarios/reference-support compiled at start, run by the engine, behind /api/messages.</summary>
public sealed class EngineIntegrationTests
{
    [Fact]
    public async Task Reference_scenario_folder_holds_the_reference_conversation()
    {
        await using var server = await TestServer.StartAsync(bots: [], configure: o =>
        {
            o.Sources.Add(Repo.ReferenceScenario);
            o.Handoff.Mode = HandoffMode.Channel; // the channel's hub answers handoff.initiate (Bot Framework §5)
        });
        var expected = new[]
        {
            new[] { "Hi! I'm the support assistant. What can I help you with?" },
            ["Sure. Please type your 8-digit order number."],
            ["That doesn't look like an 8-digit order number. Please try again (retry 1 of 2)."],
            ["Order 12345678: shipped on 2 June, arriving 5 June.", "Anything else?"],
            ["<event:handoff.initiate>", "Connecting you to an agent"],
        };
        for (var turn = 0; turn < 5; turn++)
        {
            var body = await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("e", turn));
            var replies = body.GetProperty("activities").EnumerateArray().ToList();
            Assert.Equal(expected[turn], replies.Select(r => r.GetProperty("type").GetString() == "event" ? $"<event:{r.GetProperty("name").GetString()}>" : r.GetProperty("text").GetString()!));
            if (turn == 0)
                Assert.Equal(["Order status", "Returns", "Talk to a person"], replies[0].GetProperty("suggestedActions").GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("value").GetString()!));
            if (turn == 4)
            {
                var value = replies[0].GetProperty("value");
                Assert.Equal("12345678", value.GetProperty("orderNumber").GetString());
                Assert.Equal(10, value.GetProperty("transcript").GetArrayLength());
                Assert.Equal("Transcript", replies[0].GetProperty("attachments")[0].GetProperty("name").GetString());
            }
        }
        // With an agent now: the bot is silent.
        var after = await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("e", 5, text: "hello?"));
        Assert.Empty(after.GetProperty("activities").EnumerateArray());

        var metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("scenariokit_turns_total{scenario=\"reference-support\"} 6", metrics, StringComparison.Ordinal);
        Assert.Contains("scenariokit_handoffs_total{scenario=\"reference-support\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("scenariokit_turn_duration_seconds_count{scenario=\"reference-support\"} 6", metrics, StringComparison.Ordinal);
        Assert.Equal("ready\n", await server.Http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
        var scenarios = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/api/scenarios", UriKind.Relative))).RootElement;
        Assert.Equal("reference-support", scenarios.GetProperty("default").GetString());
    }

    [Fact]
    public async Task A_hub_status_message_that_is_an_object_is_accepted_and_not_shown_to_the_customer()
    {
        await using var server = await TestServer.StartAsync(bots: [], configure: o =>
        {
            o.Sources.Add(Repo.ReferenceScenario);
            o.Handoff.Mode = HandoffMode.Channel; // the channel's hub answers handoff.initiate (Bot Framework §5)
        });
        await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("hs", 4)); // "talk to a human": handed off
        var status = await server.PostJsonForJsonAsync("/api/messages",
            """{"type":"event","name":"handoff.status","value":{"state":"completed","message":{"agent":"佐藤","ticket":42}},"channelId":"bench","serviceUrl":"http://127.0.0.1:9/","conversation":{"id":"conv-hs"},"from":{"id":"hub"},"recipient":{"id":"bot"},"deliveryMode":"expectReplies"}""");
        Assert.DoesNotContain(status.GetProperty("activities").EnumerateArray(), a => (a.TryGetProperty("text", out var t) ? t.GetString() : null)?.Contains("ticket", StringComparison.Ordinal) == true);

        // Back with the bot: it answers again.
        var hello = await server.PostJsonForJsonAsync("/api/messages", Reference.UserActivity("hs", 0));
        Assert.Equal("Hi! I'm the support assistant. What can I help you with?", hello.GetProperty("activities")[0].GetProperty("text").GetString());
    }
}
