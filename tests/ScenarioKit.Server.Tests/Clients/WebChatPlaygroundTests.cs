using Microsoft.Playwright;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Clients;

/// <summary>
/// botframework-webchat 4.18.1 in headless Debian Chromium, on the server's own playground page
/// (webchat.js served by the server, Direct Line over WebSocket). Chromium comes from apt (test.sh);
/// Playwright's own browser download is never used.
/// </summary>
public sealed class WebChatPlaygroundTests
{
    const string ChromiumPath = "/usr/lib/chromium/chromium";

    [Fact]
    public async Task Web_Chat_types_sees_replies_clicks_a_suggested_action_and_gets_a_proactive_message()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; test.sh does).");
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 800 }, Locale = "ja-JP" });
        var foreignRequests = new List<string>();
        // No CDN: everything the page loads comes from this server (blob: and data: URLs are made in the page).
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Scheme is not ("blob" or "data") && url.Host != server.BaseAddress.Host) foreignRequests.Add(request.Url);
        };
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        var traffic = new List<string>();
        page.Console += (_, message) => traffic.Add("console " + message.Type + ": " + message.Text);
        page.Response += (_, response) => traffic.Add($"{response.Status} {response.Request.Method} {response.Url}");
        page.WebSocket += (_, socket) =>
        {
            traffic.Add("websocket " + socket.Url);
            socket.FrameReceived += (_, frame) => traffic.Add("ws <- " + frame.Text);
        };

        try
        {
            await page.GotoAsync(server.BaseAddress.ToString());
            var bubbles = page.Locator(".webchat__bubble__content");
            await Assertions.Expect(bubbles.Filter(new() { HasText = ReferenceBot.Welcome })).ToBeVisibleAsync(new() { Timeout = 20_000 });

            var input = page.Locator("[data-id='webchat-sendbox-input']");
            await input.FillAsync("hello");
            await input.PressAsync("Enter");
            // Web Chat renders bot text as markdown, which turns "I'm" into "I’m": match the rest.
            await Assertions.Expect(bubbles.Filter(new() { HasText = "What can I help you with?" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
            // The user's own bubble is there too: the echo carried the clientActivityID back (§4.4), so no "send failed".
            await Assertions.Expect(bubbles.Filter(new() { HasText = "hello" }).First).ToBeVisibleAsync();

            var orderStatus = page.Locator(".webchat__suggested-action", new() { HasText = "Order status" });
            await Assertions.Expect(orderStatus).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await orderStatus.ClickAsync();
            await Assertions.Expect(bubbles.Filter(new() { HasText = ReferenceBot.AskOrder })).ToBeVisibleAsync(new() { Timeout = 15_000 });

            // The event panel sends a page_dwell journey event; the bot speaks up unprompted, in Japanese.
            await page.FillAsync("#seconds", "45");
            await page.ClickAsync("#send-page-dwell");
            await Assertions.Expect(bubbles.Filter(new() { HasText = ReferenceBot.DwellNudge })).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Assertions.Expect(page.Locator(".webchat__suggested-action", new() { HasText = "サイズの相談" })).ToBeVisibleAsync();
            Assert.Empty(await page.Locator("[class*='send-failed'], [class*='sendFailed']").AllAsync());
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException(e.Message + "\n--- browser traffic ---\n" + string.Join("\n", traffic), e);
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repo.Artifacts, "webchat-playground.png"), FullPage = true });
        }
        Assert.Empty(foreignRequests);
        Assert.Empty(pageErrors);
        Assert.Equal(4, Volatile.Read(ref ((ReferenceBot)server.Service<ScenarioKit.Server.Bots.ScenarioCatalog>().Resolve(null, null)!).Turns));
    }

    [Fact]
    public async Task Web_Chat_runs_the_real_scenarios_and_the_picker_switches_to_a_Japanese_one()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; test.sh does).");
        await using var server = await TestServer.StartAsync(bots: [], configure: o =>
        {
            o.Sources.Add(Repo.ReferenceScenario);
            o.Sources.Add(Path.Combine(Repo.Root, "scenarios", "retail-support"));
        });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 800 } });
        var bubbles = page.Locator(".webchat__bubble__content");
        try
        {
            await page.GotoAsync(server.BaseAddress.ToString());
            await Assertions.Expect(page.Locator("#scenario")).ToHaveValueAsync("reference-support", new() { Timeout = 20_000 });
            // No welcome in this scenario: wait until Web Chat's Direct Line is online before typing.
            await Assertions.Expect(page.Locator("#log")).ToContainTextAsync("online", new() { Timeout = 20_000 });
            var input = page.Locator("[data-id='webchat-sendbox-input']");
            await input.FillAsync("hello");
            await input.PressAsync("Enter");
            await Assertions.Expect(bubbles.Filter(new() { HasText = "What can I help you with?" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await page.Locator(".webchat__suggested-action", new() { HasText = "Order status" }).ClickAsync();
            await Assertions.Expect(bubbles.Filter(new() { HasText = "Please type your 8-digit order number." })).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await input.FillAsync("12345678");
            await input.PressAsync("Enter");
            await Assertions.Expect(bubbles.Filter(new() { HasText = "Order 12345678: shipped on 2 June, arriving 5 June." })).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repo.Artifacts, "webchat-reference-support.png") });

            // The picker starts a new conversation on the Japanese retail scenario: welcome, then a proactive nudge.
            await page.SelectOptionAsync("#scenario", "retail-support");
            await page.ClickAsync("#restart");
            await Assertions.Expect(page.Locator("#log")).ToContainTextAsync("retail-support", new() { Timeout = 20_000 });
            await Assertions.Expect(bubbles.Filter(new() { HasText = "いらっしゃいませ。ABCストア サポートです。" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Assertions.Expect(page.Locator(".webchat__suggested-action", new() { HasText = "注文状況の確認" })).ToBeVisibleAsync();
            await page.FillAsync("#path", "/products/42");
            await page.ClickAsync("#send-page-view");
            await page.FillAsync("#seconds", "40");
            await page.ClickAsync("#send-page-dwell");
            await Assertions.Expect(bubbles.Filter(new() { HasText = "在庫のこと" }).Or(bubbles.Filter(new() { HasText = "在庫のご質問" }))).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Assertions.Expect(page.Locator(".webchat__suggested-action", new() { HasText = "サイズの相談" })).ToBeVisibleAsync();
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repo.Artifacts, "webchat-retail-support.png") });
        }
    }
}
