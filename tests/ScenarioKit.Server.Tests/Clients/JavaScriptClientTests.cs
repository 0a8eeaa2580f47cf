using ScenarioKit.Server.Hosting;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Clients;

/// <summary>
/// Microsoft's own JavaScript clients (tests/clients, from the committed package-lock) hold the reference
/// conversation with the real server: scenarios/reference-support compiled and run by the engine.
/// </summary>
public sealed class JavaScriptClientTests
{
    const string Secret = "js-client-secret-0123456789abcdef";

    static Task<TestServer> StartAsync(bool secret) => TestServer.StartAsync(bots: [], configure: o =>
    {
        o.Sources.Add(Repo.ReferenceScenario);
        // The reference conversation ends in handoff.initiate for the channel (Bot Framework §5), as botbuilder's does.
        o.Handoff.Mode = HandoffMode.Channel;
        if (secret) o.DirectLineSecret = Secret;
    });

    [Theory]
    [InlineData("polling", true)]
    [InlineData("websocket", true)]
    [InlineData("polling", false)]
    [InlineData("websocket", false)]
    public async Task Directlinejs_holds_the_reference_conversation(string mode, bool withSecret)
    {
        await using var server = await StartAsync(withSecret);
        string[] args = withSecret
            ? [new Uri(server.BaseAddress, "/v3/directline").ToString(), mode, Secret]
            : [new Uri(server.BaseAddress, "/v3/directline").ToString(), mode];
        var result = await Node.RunAsync("directline-reference.js", args, TimeSpan.FromSeconds(90));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"ok\":true", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Botbuilder_as_a_channel_gets_replies_at_its_serviceUrl_and_in_expectReplies_bodies()
    {
        await using var server = await StartAsync(false);
        var result = await Node.RunAsync("botbuilder-channel.js", [new Uri(server.BaseAddress, "/api/messages").ToString()], TimeSpan.FromSeconds(90));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"ok\":true", result.StandardOutput, StringComparison.Ordinal);
    }
}
