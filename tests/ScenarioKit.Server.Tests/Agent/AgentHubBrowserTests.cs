using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Agent;

/// <summary>
/// Issue 9's proof, end to end in two headless Chromium windows on one real server (127.0.0.1, temp SQLite file,
/// scenarios/retail-support): a customer in the Web Chat playground asks for a person and is told their place in the
/// queue; an agent signed in through the login form sees the entry with the rule, stage and transcript, accepts, and
/// they talk; customer markup stays text in the console; the agent hands back and the bot answers again.
/// Screenshots of both windows land in TestResults/artifacts/agent-hub/.
/// </summary>
public sealed class AgentHubBrowserTests
{
    const string ChromiumPath = "/usr/lib/chromium/chromium";
    const string Password = "tanaka-password-2026";
    const string Hostile = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task Customer_in_Web_Chat_and_agent_in_the_console_talk_and_the_bot_takes_over_again()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; test.sh does).");
        await using var server = await TestServer.StartAsync(bots: [], configure: o => o.Sources.Add(OpenAllWeek()));
        await server.Service<AgentDirectory>().AddAsync("tanaka", "田中 花子", AgentRole.Agent, ["support"], Password, actor: "test");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        await using var agentContext = await WindowAsync(browser, 1400);
        await using var customerContext = await WindowAsync(browser, 1000);
        var agent = await agentContext.NewPageAsync();
        var customer = await customerContext.NewPageAsync();
        var dialogs = new List<string>();
        var pageErrors = new List<string>();
        var traffic = new List<string>();
        foreach (var (name, page) in new[] { ("agent", agent), ("customer", customer) })
        {
            page.Dialog += (_, dialog) => { lock (dialogs) dialogs.Add($"{name}: {dialog.Message}"); _ = dialog.DismissAsync(); };
            page.PageError += (_, error) => { lock (pageErrors) pageErrors.Add($"{name}: {error}"); };
            page.Console += (_, message) => { lock (traffic) traffic.Add($"{name} console {message.Type}: {message.Text}"); };
            page.Response += (_, response) => { lock (traffic) traffic.Add($"{name} {response.Status} {response.Request.Method} {response.Url}"); };
        }
        var customerFrames = new List<string>();
        customer.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) => { lock (customerFrames) customerFrames.Add(frame.Text ?? ""); };
        var artifacts = AgentConsoleBrowserTests.ArtifactDirectory;
        async Task ShotsAsync(string step)
        {
            await agent.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, $"{step}-agent.png") });
            await customer.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, $"{step}-customer.png") });
        }

        try
        {
            // The agent signs in through the form and goes online.
            await SignInAsync(agent, server, "tanaka", "田中 花子", online: true);

            // The customer browses a product page, then asks for a person.
            await customer.GotoAsync(new Uri(server.BaseAddress, "/?scenario=retail-support&locale=ja-JP").ToString());
            var bubbles = customer.Locator(".webchat__bubble__content");
            await Assertions.Expect(bubbles.Filter(new() { HasText = "いらっしゃいませ。ABCストア サポートです。" })).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await customer.FillAsync("#path", "/products/42");
            await customer.ClickAsync("#send-page-view");
            var input = customer.Locator("[data-id='webchat-sendbox-input']");
            await input.FillAsync("オペレーターと話したい");
            await input.PressAsync("Enter");
            await Assertions.Expect(bubbles.Filter(new() { HasText = "担当者におつなぎします" }).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Assertions.Expect(bubbles.Filter(new() { HasTextRegex = new Regex("[0-9０-９]+ ?(番目|人)") })).ToBeVisibleAsync(new() { Timeout = 10_000 });
            var handedOff = Stopwatch.StartNew();

            // Within 2 s the agent sees the entry, with the rule, the stage and the transcript.
            var entry = agent.GetByTestId("waiting-list").Locator("li.entry").First;
            await Assertions.Expect(entry).ToBeVisibleAsync(new() { Timeout = 2_000 });
            var seenAfter = handedOff.Elapsed;
            await Assertions.Expect(entry.GetByTestId("rule")).ToHaveTextAsync("asked-for-human");
            await Assertions.Expect(entry.GetByTestId("stage")).ToHaveTextAsync("browsing");
            await entry.ClickAsync();
            await Assertions.Expect(agent.GetByTestId("context-rule")).ToHaveTextAsync("asked-for-human");
            await Assertions.Expect(agent.GetByTestId("context-rule-location")).ToContainTextAsync("scenario.yaml");
            await Assertions.Expect(agent.GetByTestId("context-stage")).ToContainTextAsync("browsing");
            await Assertions.Expect(agent.GetByTestId("transcript")).ToContainTextAsync("オペレーターと話したい");
            await ShotsAsync("1-waiting");

            await agent.GetByTestId("chat-pane").GetByTestId("accept").ClickAsync();
            await Assertions.Expect(agent.GetByTestId("my-chats").Locator("li.entry")).ToHaveCountAsync(1);

            // Both ways; the customer sees who is answering. The queue's canned responses fill the composer.
            await agent.GetByTestId("canned").SelectOptionAsync(new SelectOptionValue { Label = "ごあいさつ" });
            await Assertions.Expect(agent.GetByTestId("composer")).ToHaveValueAsync("お待たせいたしました。ABCストア サポート担当でございます。");
            await agent.GetByTestId("send").ClickAsync();
            await Assertions.Expect(bubbles.Filter(new() { HasText = "お待たせいたしました。ABCストア サポート担当でございます。" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await agent.GetByTestId("composer").FillAsync("担当の田中です。ご用件を伺います。");
            await agent.GetByTestId("composer").PressAsync("Enter");
            await Assertions.Expect(bubbles.Filter(new() { HasText = "担当の田中です。ご用件を伺います。" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await Assertions.Expect(agent.GetByTestId("transcript").Locator("[data-role='agent']", new() { HasText = "担当の田中です。ご用件を伺います。" })).ToBeVisibleAsync();
            await Assertions.Expect(customer.GetByText("田中 花子").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await input.FillAsync("注文した商品がまだ届きません。");
            await input.PressAsync("Enter");
            await Assertions.Expect(agent.GetByTestId("transcript").GetByTestId("line").Last).ToContainTextAsync("注文した商品がまだ届きません。", new() { Timeout = 10_000 });

            // Markup from the customer is shown as text; nothing runs.
            await input.FillAsync(Hostile);
            await input.PressAsync("Enter");
            var last = agent.GetByTestId("transcript").GetByTestId("line").Last;
            await Assertions.Expect(last.GetByTestId("line-text")).ToHaveTextAsync(Hostile, new() { Timeout = 10_000 });
            Assert.Equal(0, await agent.GetByTestId("transcript").Locator("img").CountAsync());
            await agent.GetByTestId("composer").FillAsync("確認いたしました。配送状況はボットからご案内します。");
            await agent.GetByTestId("composer").PressAsync("Enter");
            await Assertions.Expect(bubbles.Filter(new() { HasText = "確認いたしました。" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await ShotsAsync("2-chat");

            // Back to the bot, which answers the next message.
            await agent.GetByTestId("return-to-bot").ClickAsync();
            await agent.GetByTestId("return-message").FillAsync("ボットにお戻しします。ありがとうございました。");
            await agent.GetByTestId("return-submit").ClickAsync();
            await Assertions.Expect(agent.GetByTestId("return-dialog")).Not.ToBeVisibleAsync();
            await Assertions.Expect(agent.GetByTestId("my-chats").Locator("li.entry")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
            await input.FillAsync("注文状況を確認したい");
            await input.PressAsync("Enter");
            await Assertions.Expect(bubbles.Filter(new() { HasText = "ご注文番号（8桁の数字）を教えてください。" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await ShotsAsync("3-back-to-bot");

            Assert.True(seenAfter < TimeSpan.FromSeconds(2), $"the console showed the entry {seenAfter.TotalMilliseconds:0} ms after the customer's waiting message");
        }
        catch (PlaywrightException e)
        {
            await ShotsAsync("failed");
            string log;
            lock (traffic) log = string.Join("\n", traffic.TakeLast(200));
            throw new InvalidOperationException(e.Message + "\n--- browser traffic ---\n" + log, e);
        }
        Assert.Empty(dialogs);
        Assert.Empty(pageErrors);
        lock (customerFrames) Assert.Contains(customerFrames, f => f.Contains("\"name\":\"田中 花子\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admin_sees_the_floor_monitors_a_chat_whispers_to_the_agent_takes_it_over_and_reads_the_audit()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; test.sh does).");
        await using var server = await TestServer.StartAsync(bots: [], configure: o =>
        {
            o.Sources.Add(OpenAllWeek());
            o.DirectLineSecret = HubFlowTests.Secret;
        });
        var directory = server.Service<AgentDirectory>();
        await directory.AddAsync("tanaka", "田中 花子", AgentRole.Agent, ["support"], Password, actor: "test");
        await directory.AddAsync("suzuki", "鈴木 主任", AgentRole.Admin, [], Password, actor: "test");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        await using var agentContext = await WindowAsync(browser, 1400);
        await using var supervisorContext = await WindowAsync(browser, 1400);
        var agent = await agentContext.NewPageAsync();
        var supervisor = await supervisorContext.NewPageAsync();
        var pageErrors = new List<string>();
        agent.PageError += (_, error) => { lock (pageErrors) pageErrors.Add("agent: " + error); };
        supervisor.PageError += (_, error) => { lock (pageErrors) pageErrors.Add("supervisor: " + error); };
        var artifacts = AgentConsoleBrowserTests.ArtifactDirectory;
        try
        {
            await SignInAsync(agent, server, "tanaka", "田中 花子", online: true);
            // A customer over Direct Line: a product page, then a request for a person; the agent takes the chat.
            var customer = await HubFlowTests.Customer.StartAsync(server, "dl_yamada", "山田");
            await HubFlowTests.SendAsync(server, HttpMethod.Post, $"/v3/directline/conversations/{customer.ConversationId}/activities", customer.Token,
                """{"type":"event","name":"page_view","value":{"path":"/products/7"},"from":{"id":"dl_yamada","name":"山田"}}""");
            await customer.SayAsync("オペレーターと話したい");
            var entry = agent.GetByTestId("waiting-list").Locator("li.entry").First;
            await Assertions.Expect(entry).ToBeVisibleAsync(new() { Timeout = 5_000 });
            await entry.GetByTestId("accept").ClickAsync();
            await Assertions.Expect(agent.GetByTestId("my-chats").Locator("li.entry")).ToHaveCountAsync(1);

            // A wrong password comes back to the form with the error as text and the way back kept.
            await supervisor.GotoAsync(new Uri(server.BaseAddress, "/agent").ToString());
            await supervisor.GetByTestId("login-name").FillAsync("suzuki");
            await supervisor.GetByTestId("login-password").FillAsync("not-the-password");
            await supervisor.GetByTestId("login-submit").ClickAsync();
            await Assertions.Expect(supervisor.GetByTestId("login-error")).ToHaveTextAsync("ログインIDまたはパスワードが正しくありません。");
            await Assertions.Expect(supervisor.Locator("input[name=returnUrl]")).ToHaveValueAsync("/agent");

            // The floor: stages, queues, agents with their load, every open handoff.
            await SignInAsync(supervisor, server, "suzuki", "鈴木 主任", online: false);
            await supervisor.GetByTestId("tab-supervisor").ClickAsync();
            await Assertions.Expect(supervisor.GetByTestId("stage-browsing")).ToContainTextAsync("1");
            await Assertions.Expect(supervisor.GetByTestId("queue-support")).ToBeVisibleAsync();
            await Assertions.Expect(supervisor.GetByTestId("agent-tanaka")).ToContainTextAsync("1 / 3");
            var row = supervisor.GetByTestId("sup-entries").Locator("tr").First;
            await Assertions.Expect(row).ToContainTextAsync("田中 花子");
            await supervisor.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "supervisor-floor.png") });

            // Monitor: read-only for the customer, whispers reach the agent, shown apart from the conversation.
            await row.GetByTestId("monitor").ClickAsync();
            await Assertions.Expect(supervisor.GetByTestId("transcript")).ToContainTextAsync("オペレーターと話したい");
            await Assertions.Expect(supervisor.GetByTestId("whisper-mode")).ToBeCheckedAsync();
            await Assertions.Expect(supervisor.GetByTestId("takeover")).ToBeVisibleAsync();
            await supervisor.GetByTestId("composer").FillAsync("配送状況は注文APIで確認できます。");
            await supervisor.GetByTestId("composer").PressAsync("Enter");
            var whisper = agent.GetByTestId("transcript").GetByTestId("whisper");
            await agent.GetByTestId("my-chats").Locator("li.entry").First.ClickAsync();
            await Assertions.Expect(whisper).ToContainTextAsync("配送状況は注文APIで確認できます。", new() { Timeout = 10_000 });
            Assert.DoesNotContain(await customer.ReadAsync(), a => Text(a).Contains("注文API", StringComparison.Ordinal));
            await supervisor.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "supervisor-monitor.png") });
            await agent.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "supervisor-whisper-agent.png") });

            // Take over: the chat is the supervisor's now, and leaves the agent's list.
            await supervisor.GetByTestId("takeover").ClickAsync();
            await Assertions.Expect(supervisor.GetByTestId("my-chats").Locator("li.entry")).ToHaveCountAsync(1, new() { Timeout = 10_000 });
            await Assertions.Expect(agent.GetByTestId("my-chats").Locator("li.entry")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
            await supervisor.GetByTestId("composer").FillAsync("責任者の鈴木が引き継ぎました。");
            await supervisor.GetByTestId("composer").PressAsync("Enter");
            await Assertions.Expect(supervisor.GetByTestId("composer")).ToHaveValueAsync("");
            Assert.Contains(await customer.ReadAsync(), a => Text(a) == "責任者の鈴木が引き継ぎました。" && a.GetProperty("from").GetProperty("name").GetString() == "鈴木 主任");

            // The audit log names who did what on which conversation.
            await supervisor.GetByTestId("tab-audit").ClickAsync();
            var audit = supervisor.GetByTestId("audit-list");
            await Assertions.Expect(audit.Locator("tr", new() { HasText = "takeover" }).First).ToContainTextAsync("suzuki");
            await Assertions.Expect(audit.Locator("tr", new() { HasText = "whisper" }).First).ToContainTextAsync(customer.Key);
            await Assertions.Expect(audit.Locator("tr", new() { HasText = "accept" }).First).ToContainTextAsync("tanaka");
        }
        finally
        {
            await supervisor.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "supervisor-final.png") });
        }
        Assert.Empty(pageErrors);
    }

    /// <summary>A browser window of its own (cookies apart), Japanese like the sample scenario.</summary>
    static Task<IBrowserContext> WindowAsync(IBrowser browser, int width) =>
        browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 860 }, Locale = "ja-JP" });

    static string Text(System.Text.Json.JsonElement activity) => activity.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "";

    /// <summary>Opens /agent, is sent to the sign-in form, signs in, waits for the live connection, and optionally goes online.</summary>
    static async Task SignInAsync(IPage page, TestServer server, string login, string displayName, bool online)
    {
        await page.GotoAsync(new Uri(server.BaseAddress, "/agent").ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/agent/login\\?returnUrl=%2Fagent$"));
        await page.GetByTestId("login-name").FillAsync(login);
        await page.GetByTestId("login-password").FillAsync(Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("agent-name")).ToHaveTextAsync(displayName, new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("connection-state")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
        if (!online) return;
        await page.GetByTestId("status-select").SelectOptionAsync("online");
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-status", "online");
    }

    /// <summary>
    /// scenarios/retail-support copied with the support queue open around the clock, so the test does not depend on
    /// the hour it runs at (the real hours are Mon–Fri 09:00–18:00 Asia/Tokyo).
    /// </summary>
    static string OpenAllWeek()
    {
        var source = Path.Combine(Repo.Root, "scenarios", "retail-support");
        var target = Path.Combine(TempDirectory.Create(), "retail-support");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        var scenario = Path.Combine(target, "scenario.yaml");
        const string hours = "    support:\n      hours: \"Mon-Fri 09:00-18:00; Sat 10:00-17:00\"\n";
        var text = File.ReadAllText(scenario).ReplaceLineEndings("\n");
        Assert.Contains(hours, text, StringComparison.Ordinal);
        File.WriteAllText(scenario, text.Replace(hours, "    support:\n      hours: \"Mon-Sun 00:00-24:00\"\n", StringComparison.Ordinal));
        return target;
    }
}
