using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScenarioKit.Engine;
using ScenarioKit.Server.Hosting;
using ScenarioKit.Server.Tests.Infrastructure;
using ScenarioKit.Testing.Mocks;

namespace ScenarioKit.Server.Tests.Issues;

/// <summary>
/// Issue 10 item 7: served as the README said, the Japanese sample called a placeholder shop API, so every
/// order lookup failed in the playground. Served with its demo mocks, a first visitor sees an order found,
/// a return registered and a callback booked, and both the log and the playground say actions are mocked.
/// </summary>
public sealed class Issue10_ServeMocksTests
{
    static readonly string Retail = Path.Combine(Repo.Root, "scenarios", "retail-support");

    static ActionMocks DemoMocks()
    {
        var (file, diagnostics) = ActionMockFile.Read(Path.Combine(Retail, "demo.mocks.yaml"));
        Assert.True(file is not null, string.Join("\n", diagnostics));
        return new ActionMocks(file.Actions, real => file.CreateInvoker(real, TimeProvider.System));
    }

    static async Task<IReadOnlyList<string>> SayAsync(TestServer server, string conversation, int turn, string text)
    {
        var activity = JsonSerializer.Serialize(new
        {
            type = "message",
            id = $"{conversation}-{turn}",
            channelId = "webchat",
            serviceUrl = "http://127.0.0.1:9/",
            from = new { id = "visitor", role = "user" },
            recipient = new { id = "bot", role = "bot" },
            conversation = new { id = conversation },
            locale = "ja-JP",
            text,
            deliveryMode = "expectReplies",
        });
        var body = await server.PostJsonForJsonAsync("/api/messages", activity);
        return [.. body.GetProperty("activities").EnumerateArray()
            .Where(a => a.GetProperty("type").GetString() == "message")
            .Select(a => a.GetProperty("text").GetString() ?? "")];
    }

    [Fact]
    public async Task The_demo_mocks_show_an_order_found_a_return_registered_and_a_callback_booked()
    {
        var log = new Issue10_ErrorBodyTests.CapturedLog();
        await using var server = await TestServer.StartAsync(bots: [],
            configure: o =>
            {
                o.Sources.Add(Retail);
                o.Mocks = DemoMocks();
            },
            services: s => s.AddSingleton<ILoggerProvider>(log));

        await SayAsync(server, "order", 1, "注文した商品はいつ届きますか");
        var order = await SayAsync(server, "order", 2, "１２３４５６７８");
        Assert.Contains("ご注文 12345678 は「発送済み（明日お届け予定）」です。", order);

        await SayAsync(server, "return", 1, "返品したいです");
        await SayAsync(server, "return", 2, "返品");
        await SayAsync(server, "return", 3, "12345678");
        var registered = await SayAsync(server, "return", 4, "サイズが合わない");
        Assert.Contains(registered, m => m.StartsWith("返品を受け付けました（受付番号 R-DEMO-0001）。", StringComparison.Ordinal));

        await SayAsync(server, "callback", 1, "折り返しの電話を希望");
        await SayAsync(server, "callback", 2, "090-1234-5678");
        var booked = await SayAsync(server, "callback", 3, "午後");
        // The call-back is a ticket step: it lands in the agent hub's ticket list (issue 9), nothing to mock.
        var number = Assert.Single(booked.Select(m => System.Text.RegularExpressions.Regex.Match(m, @"^承知いたしました。午後に担当者からお電話いたします（受付番号 (CB-[A-Z0-9]+)）。$")), m => m.Success).Groups[1].Value;
        await server.Service<ScenarioKit.Server.Agent.HubConversationObserver>().DrainAsync();
        var ticket = Assert.Single(await server.Service<ScenarioKit.Hub.Storage.IHubStore>().ListTicketsAsync(false, 10, CancellationToken.None));
        Assert.Equal((number, "callback", "09012345678", "午後"), (ticket.Number, ticket.Kind, ticket.Contact, ticket.PreferredTime));

        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning
            && e.Message.Contains("Mocked actions", StringComparison.Ordinal)
            && e.Message.Contains("lookupOrder, registerReturn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_playground_shows_that_actions_are_mocked()
    {
        await using var server = await TestServer.StartAsync(bots: [], configure: o =>
        {
            o.Sources.Add(Retail);
            o.Mocks = DemoMocks();
        });

        var page = await server.Http.GetStringAsync("/", TestContext.Current.CancellationToken);
        using var catalog = JsonDocument.Parse(await server.Http.GetStringAsync("/api/scenarios", TestContext.Current.CancellationToken));

        Assert.Contains("<div id=\"mock-notice\" role=\"status\">", page, StringComparison.Ordinal);
        Assert.Contains("モック", page, StringComparison.Ordinal);
        Assert.Contains("lookupOrder, registerReturn", page, StringComparison.Ordinal);
        Assert.Equal(["lookupOrder", "registerReturn"],
            catalog.RootElement.GetProperty("mockedActions").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Without_mocks_nothing_is_mocked_and_the_playground_has_no_notice()
    {
        await using var server = await TestServer.StartAsync(bots: [], configure: o => o.Sources.Add(Retail));

        var page = await server.Http.GetStringAsync("/", TestContext.Current.CancellationToken);
        using var catalog = JsonDocument.Parse(await server.Http.GetStringAsync("/api/scenarios", TestContext.Current.CancellationToken));

        Assert.DoesNotContain("mock-notice\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<!--", page, StringComparison.Ordinal);
        Assert.Empty(catalog.RootElement.GetProperty("mockedActions").EnumerateArray());
        Assert.IsType<DefaultActionInvoker>(server.Service<IActionInvoker>());
    }

    [Fact]
    public async Task A_mock_for_an_action_no_served_scenario_has_stops_the_server()
    {
        var e = await Assert.ThrowsAsync<ScenarioSourceException>(() => TestServer.StartAsync(bots: [], configure: o =>
        {
            o.Sources.Add(Retail);
            o.Mocks = new ActionMocks(["lookupOrdr"], real => real);
        }));

        Assert.Contains("'lookupOrdr'", e.Message, StringComparison.Ordinal);
        Assert.Contains("lookupOrder", e.Message, StringComparison.Ordinal);
    }
}
