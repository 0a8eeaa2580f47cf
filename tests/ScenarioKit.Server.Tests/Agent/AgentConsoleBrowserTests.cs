using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Agent;

/// <summary>
/// The console page in headless Debian Chromium against a recorded API (docs/agent-hub.md "Console API"), so the
/// rendering rules are pinned apart from the hub: customer text is text, the context panel shows why the bot handed
/// off, both languages work, and writes carry the anti-forgery header. The real hub is driven in AgentHubBrowserTests.
/// </summary>
public sealed class AgentConsoleBrowserTests
{
    const string ChromiumPath = "/usr/lib/chromium/chromium";
    const string Hostile = "<img src=x onerror=alert(1)>";

    public static string ArtifactDirectory
    {
        get
        {
            var path = Path.Combine(Repo.Artifacts, "agent-hub");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    [Fact]
    public async Task Console_renders_the_recorded_hub_in_Japanese_with_customer_markup_as_text()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; test.sh does).");
        await using var host = await AgentPageHost.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 860 },
            Locale = "ja-JP",
            ExtraHTTPHeaders = new Dictionary<string, string> { [AgentPageHost.SignedInHeader] = "1" },
        });
        var page = await context.NewPageAsync();
        var posts = await RecordedApiAsync(page);
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) => { dialogs.Add(dialog.Message); _ = dialog.DismissAsync(); };
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        var foreign = new List<string>();
        page.Request += (_, request) => { if (new Uri(request.Url).Host != host.BaseAddress.Host) foreign.Add(request.Url); };

        try
        {
            await page.GotoAsync(new Uri(host.BaseAddress, "/agent").ToString());
            await Assertions.Expect(page.GetByTestId("agent-name")).ToHaveTextAsync("田中 花子");
            await Assertions.Expect(page.GetByTestId("status-select")).ToHaveValueAsync("online");
            var waiting = page.GetByTestId("entry-e-waiting");
            await Assertions.Expect(waiting.GetByTestId("rule")).ToHaveTextAsync("misunderstood-twice");
            await Assertions.Expect(waiting.GetByTestId("stage")).ToHaveTextAsync("browsing");
            await Assertions.Expect(waiting.GetByTestId("accept")).ToHaveTextAsync("対応する");
            await Assertions.Expect(page.GetByTestId("my-chats").GetByTestId("entry-e-mine")).ToBeVisibleAsync();

            await page.GetByTestId("entry-e-mine").ClickAsync();
            var transcript = page.GetByTestId("transcript");
            await Assertions.Expect(transcript.GetByTestId("line").Last).ToContainTextAsync(Hostile);
            Assert.Equal(0, await transcript.Locator("img").CountAsync());
            await Assertions.Expect(transcript.GetByTestId("note")).ToContainTextAsync("配送業者に確認済み");
            await Assertions.Expect(page.GetByTestId("context-rule")).ToHaveTextAsync("asked-for-human");
            await Assertions.Expect(page.GetByTestId("context-rule-location")).ToContainTextAsync("scenario.yaml(113,7)");
            await Assertions.Expect(page.GetByTestId("context-stage")).ToContainTextAsync("cart");
            await Assertions.Expect(page.GetByTestId("context-stage-history")).ToContainTextAsync("browsing");
            await Assertions.Expect(page.GetByTestId("context-conditions")).ToContainTextAsync("human");
            await Assertions.Expect(page.GetByTestId("context-shared")).ToContainTextAsync("order.number12345678");
            await Assertions.Expect(page.GetByTestId("context-shared")).Not.ToContainTextAsync("packageVersion");
            await Assertions.Expect(page.GetByTestId("context-offer")).ToContainTextAsync("chat");
            await Assertions.Expect(page.GetByTestId("context-answers")).ToContainTextAsync("12345678");
            await Assertions.Expect(page.GetByTestId("context-intent")).ToContainTextAsync("0.93");
            await Assertions.Expect(page.GetByTestId("context-earlier")).ToContainTextAsync("low-digital-fit");

            await page.GetByTestId("canned").SelectOptionAsync(new SelectOptionValue { Label = "お詫び" });
            await Assertions.Expect(page.GetByTestId("composer")).ToHaveValueAsync("お待たせして申し訳ございません。");
            await page.GetByTestId("composer").PressAsync("Enter");
            await Assertions.Expect(page.GetByTestId("composer")).ToHaveValueAsync("");
            var message = await WaitForAsync(posts, "/agent/api/entries/e-mine/messages");
            Assert.Equal("お待たせして申し訳ございません。", message.Body["text"]!.GetValue<string>());
            var meta = await page.Locator("meta[name=csrf-token]").GetAttributeAsync("content");
            Assert.Equal(meta, message.CsrfHeader);

            await page.GetByTestId("return-to-bot").ClickAsync();
            await page.GetByTestId("return-flow").SelectOptionAsync("satisfaction");
            await page.GetByTestId("var-satisfactionAsked").SelectOptionAsync("true");
            await page.GetByTestId("var-discount").FillAsync("500");
            await page.GetByTestId("var-channel").SelectOptionAsync(new SelectOptionValue { Label = "phone" });
            await page.GetByTestId("return-message").FillAsync("ボットにお戻しします。");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, "console-recorded-return-dialog.png") });
            await page.GetByTestId("return-submit").ClickAsync();
            var handback = await WaitForAsync(posts, "/agent/api/entries/e-mine/return");
            Assert.Equal("""{"flow":"satisfaction","variables":{"satisfactionAsked":true,"discount":500,"channel":"phone"},"message":"ボットにお戻しします。"}""", handback.Body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            await Assertions.Expect(page.GetByTestId("return-dialog")).Not.ToBeVisibleAsync();

            await page.GetByTestId("tab-supervisor").ClickAsync();
            await Assertions.Expect(page.GetByTestId("stage-checkout")).ToContainTextAsync("2");
            await Assertions.Expect(page.GetByTestId("agent-sato")).ToContainTextAsync("1 / 3");
            await page.GetByTestId("tab-tickets").ClickAsync();
            await Assertions.Expect(page.GetByTestId("ticket-T-0001")).ToContainTextAsync("03-1234-5678");
            await page.GetByTestId("tab-chats").ClickAsync();
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, "console-recorded-ja.png") });
        }

        // English from ?lang=en, same data.
        await page.GotoAsync(new Uri(host.BaseAddress, "/agent?lang=en").ToString());
        await Assertions.Expect(page.GetByTestId("entry-e-waiting").GetByTestId("accept")).ToHaveTextAsync("Accept");
        await page.GetByTestId("entry-e-mine").ClickAsync();
        await Assertions.Expect(page.GetByTestId("return-to-bot")).ToHaveTextAsync("Return to bot");
        await Assertions.Expect(page.GetByTestId("transcript").GetByTestId("line").Last).ToContainTextAsync(Hostile);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, "console-recorded-en.png") });

        Assert.Empty(dialogs);
        Assert.Empty(pageErrors);
        Assert.Empty(foreign);
    }

    sealed record Post(string Path, JsonObject Body, string? CsrfHeader);

    /// <summary>Answers /agent/api/* from the fixture below; POST bodies are recorded (the SignalR hub is absent: the console keeps polling).</summary>
    static async Task<List<Post>> RecordedApiAsync(IPage page)
    {
        var posts = new List<Post>();
        var now = DateTimeOffset.UtcNow;
        string At(int secondsAgo) => now.AddSeconds(-secondsAgo).ToString("O");
        var me = new { login = "tanaka", displayName = "田中 花子", role = "supervisor", queues = new[] { "support", "billing" }, maxChats = 3, status = "online" };
        object Entry(string id, string status, string? agent, string rule, string stage, string customer, int waited) => new
        {
            id, conversationKey = "webchat/" + id, conversationId = "c-" + id, channelId = "webchat", scenarioId = "retail-support", scenarioVersion = "1.4.0",
            queue = "support", status, agent, agentName = agent is null ? null : "田中 花子", ruleId = rule, ruleLocation = "scenarios/retail-support/scenario.yaml(113,7)",
            reason = "お客様が担当者を希望", priority = 0, customerName = customer, locale = "ja-JP", stage, intent = "human", score = 0.93,
            waitingSinceUtc = At(waited), offeredUtc = (string?)null, acceptedUtc = status == "assigned" ? At(60) : null, endedUtc = (string?)null,
            lastCustomerUtc = At(5), outcome = (string?)null,
        };
        var mine = Entry("e-mine", "assigned", "tanaka", "asked-for-human", "cart", "山田 太郎", 140);
        var waiting = Entry("e-waiting", "waiting", null, "misunderstood-twice", "browsing", "佐々木", 75);
        var snapshot = new
        {
            me,
            entries = new[] { mine, waiting },
            queues = new[] { new { name = "support", waiting = 1, longestWaitSeconds = 75, online = 2 } },
            agents = new[] { new { login = "sato", displayName = "佐藤 一郎", role = "agent", status = "online", activeChats = 1, maxChats = 3, queues = new[] { "support" }, connected = true } },
            stages = new[] { new { stage = "browsing", count = 5 }, new { stage = "cart", count = 3 }, new { stage = "checkout", count = 2 } },
            openTickets = 1,
        };
        var detail = new
        {
            entry = mine,
            // The engine's handoff context (HandoffDecision.ToEventValue): shared variables are top-level keys.
            context = new Dictionary<string, object?>
            {
                ["order.number"] = "12345678",
                ["cart.total"] = 12000,
                ["transcript"] = Array.Empty<object>(),
                ["queue"] = "support",
                ["rule"] = "asked-for-human",
                ["reason"] = "お客様が担当者を希望",
                ["offer"] = new[] { "chat" },
                ["withinHours"] = true,
                ["ruleSpan"] = new { file = "scenarios/retail-support/scenario.yaml", line = 113, column = 7 },
                ["conditionValues"] = new { intent = "human" },
                ["stage"] = "cart",
                ["stageHistory"] = new object[] { new { stage = "browsing", at = At(600), @event = "page_view" }, new { stage = "cart", at = At(300), @event = "cart_updated" } },
                ["recentEvents"] = new object[] { new { name = "cart_updated", at = At(300), value = new { total = 12000 } } },
                ["intent"] = "human",
                ["confidence"] = 0.93,
                ["answers"] = new { orderNumber = "12345678" },
                ["scenarioId"] = "retail-support",
                ["packageVersion"] = "1.4.0",
                ["priority"] = 0,
                ["unattended"] = false,
            },
            transcript = new object[]
            {
                new { seq = 1, role = "customer", name = "山田 太郎", text = "注文した商品が届きません", atUtc = At(200) },
                new { seq = 2, role = "bot", name = "ABCストア", text = "ご注文番号を教えてください。", atUtc = At(195) },
                new { seq = 3, role = "customer", name = "山田 太郎", text = "オペレーターと話したい", atUtc = At(150) },
                new { seq = 4, role = "agent", name = "田中 花子", text = "担当の田中です。確認いたします。", atUtc = At(55) },
                new { seq = 5, role = "customer", name = "山田 太郎", text = Hostile, atUtc = At(10) },
            },
            notes = new object[] { new { id = 1, author = "tanaka", text = "配送業者に確認済み", whisper = false, atUtc = At(30) } },
            earlierSessions = new object[] { Entry("e-old", "resolved", "sato", "low-digital-fit", "after_purchase", "山田 太郎", 86_400 * 3) },
            canned = new object[] { new { title = "お詫び", text = "お待たせして申し訳ございません。" }, new { title = "確認中", text = "ただいま確認しております。" } },
            transferQueues = new[] { "billing", "sales" },
            transferAgents = new object[] { new { login = "sato", displayName = "佐藤 一郎", status = "online" } },
            handback = new
            {
                flows = new[] { "satisfaction", "order-status" },
                variables = new object[]
                {
                    new { name = "satisfactionAsked", type = "boolean", @enum = (string[]?)null },
                    new { name = "discount", type = "integer", @enum = (string[]?)null },
                    new { name = "channel", type = "string", @enum = new[] { "chat", "phone" } },
                },
            },
        };
        var tickets = new object[]
        {
            new { number = "T-0001", conversationKey = "webchat/x", scenarioId = "retail-support", kind = "callback", contact = "03-1234-5678", preferredTime = "18時以降",
                  note = (string?)null, queue = "support", context = new { stage = "checkout", rule = "big-cart-at-checkout" }, createdUtc = At(900), closed = false,
                  closedBy = (string?)null, closedUtc = (string?)null, resolution = (string?)null },
        };
        await page.RouteAsync("**/agent/api/**", async route =>
        {
            var request = route.Request;
            var path = new Uri(request.Url).AbsolutePath;
            if (request.Method == "POST")
            {
                var body = JsonNode.Parse(request.PostData ?? "{}")!.AsObject();
                var csrf = await request.HeaderValueAsync("x-csrf-token");
                lock (posts) posts.Add(new Post(path, body, csrf));
                object answer = path.EndsWith("/accept", StringComparison.Ordinal) ? mine : new { };
                await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = JsonSerializer.Serialize(answer) });
                return;
            }
            object? result = path switch
            {
                "/agent/api/me" => me,
                "/agent/api/snapshot" => snapshot,
                "/agent/api/entries/e-mine" => detail,
                "/agent/api/tickets" => tickets,
                "/agent/api/live" => Array.Empty<object>(),
                _ => null,
            };
            await route.FulfillAsync(result is null
                ? new RouteFulfillOptions { Status = 404, ContentType = "application/json", Body = """{"error":"not_found","message":"no fixture"}""" }
                : new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = JsonSerializer.Serialize(result) });
        });
        return posts;
    }

    static async Task<Post> WaitForAsync(List<Post> posts, string path)
    {
        for (var i = 0; i < 100; i++)
        {
            lock (posts)
            {
                var found = posts.FirstOrDefault(p => p.Path == path);
                if (found is not null) return found;
            }
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"No POST {path}; got: {string.Join(", ", posts.Select(p => p.Path))}");
    }
}
