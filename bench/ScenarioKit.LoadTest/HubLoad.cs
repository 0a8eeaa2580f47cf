using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Server.Hosting;

namespace ScenarioKit.LoadTest;

/// <summary>
/// The agent hub under load (issue 9 "Load", docs/performance.md "Agent hub"), over the real endpoints only:
/// A agents (accounts made with <see cref="AgentDirectory"/> in the server's database) sign in through the
/// sign-in form, open the console's SignalR hub with their cookie and go online; N customers each open a
/// Direct Line conversation and hold its WebSocket stream, then ask for a person ("talk to a human") spread
/// over the ramp. Each agent accepts what it is offered, writes to the customer, waits for the customer's
/// answer in the console and resolves. Every message is counted on both sides; a lost or duplicated one, or
/// any failed request, fails the run (exit code 1).
/// </summary>
static partial class HubLoad
{
    const string Queue = "support";
    const string Password = "bench-agent-password";
    static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(Program.Options options)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        string? tempDir = null;
        ScenarioServer? server = null;
        var url = options.Url;
        var database = options.Database;
        var secret = options.Secret ?? "bench-direct-line-secret-" + run + "-0123456789";
        if (url is null)
        {
            tempDir = Path.Combine(Path.GetTempPath(), "scenariokit-hubload-" + run);
            Directory.CreateDirectory(tempDir);
            database ??= Path.Combine(tempDir, "hub.db");
            server = ScenarioServer.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], o =>
            {
                o.Sources.Add(Program.FindScenario(options));
                o.DatabasePath = database;
                o.DurableCommits = options.Durable;
                o.DirectLineSecret = secret;
                o.Handoff.Mode = HandoffMode.Hub;
                // All agents sign in from 127.0.0.1; the per-address login limit (10/min) is for people, not this.
                o.Hub.LoginAttemptsPerMinute = options.Agents * 2 + 10;
            }, services => services.AddSingleton<IStartupFilter, LoginPageStandIn>(), bots: null);
            await server.StartAsync();
            url = server.Urls.Single().ToString().TrimEnd('/');
        }

        var stats = new Stats();
        var exit = 1;
        var agents = new List<AgentClient>();
        var customers = new List<CustomerClient>();
        try
        {
            Console.WriteLine($"target {url}, {options.Customers} customers (Direct Line WebSocket streams), {options.Agents} agents (max {options.MaxChats} chats each, queue {Queue}), ramp {options.Ramp} s, "
                + (server is null ? "server's own settings" : $"in-process server, SQLite synchronous={(options.Durable ? "FULL" : "NORMAL")}") + $", {Environment.ProcessorCount} cores");

            // Accounts: the company issues them (the CLI's `agents add` does the same), in the server's database.
            await using var accounts = new SqliteHubStore(database!, options.Durable);
            var directory = new AgentDirectory(accounts, TimeProvider.System);
            var logins = Enumerable.Range(1, options.Agents).Select(i => $"bench-{run}-{i:D3}").ToList();
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(logins, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (login, ct) =>
                await directory.AddAsync(login, "Agent " + login[^3..], AgentRole.Agent, [Queue], Password, "loadtest", options.MaxChats, ct));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accounts         {logins.Count} created in {clock.Elapsed.TotalSeconds:F1} s"));

            clock.Restart();
            agents.AddRange(logins.Select(l => new AgentClient(url, l, stats)));
            await Parallel.ForEachAsync(agents, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (a, _) => await a.SignInAsync());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"agents           {agents.Count} signed in (form POST /agent/login, sign-in page from {(LoginPageStandIn.Served ? "the benchmark's stand-in" : "the server")}), on /agent/hub and online in {clock.Elapsed.TotalSeconds:F1} s"));

            clock.Restart();
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(60) };
            customers.AddRange(Enumerable.Range(1, options.Customers).Select(i => new CustomerClient(http, secret, $"cust-{run}-{i:D4}", stats)));
            await Parallel.ForEachAsync(customers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) => await c.OpenAsync());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"customers        {customers.Count} conversations with open streams in {clock.Elapsed.TotalSeconds:F1} s"));

            // The measured phase: each customer asks for a person at its point of the ramp and then answers the agent.
            clock.Restart();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var ramp = TimeSpan.FromSeconds(options.Ramp);
            var chats = customers.Select((c, i) => c.ChatAsync(ramp * i / Math.Max(1, customers.Count))).ToArray();
            var all = Task.WhenAll(chats);
            await Task.WhenAny(all, Task.Delay(PhaseTimeout));
            var resolved = await stats.WaitResolvedAsync(options.Customers, PhaseTimeout - clock.Elapsed);
            var wall = clock.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            // Late or duplicate deliveries would still arrive now: give them time before counting.
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var c in customers) c.Stop();
            foreach (var a in agents) await a.StopAsync();
            if (!all.IsCompleted) stats.Fail($"{chats.Count(t => !t.IsCompleted)} customers did not finish within {PhaseTimeout.TotalSeconds:0} s");

            exit = Report(stats, agents, customers, resolved, wall, cpu, server is not null) ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or WebSocketException or AgentAccountException or TaskCanceledException)
        {
            Console.Error.WriteLine("setup failed: " + e.Message);
        }
        finally
        {
            foreach (var a in agents) await a.DisposeAsync();
            foreach (var c in customers) c.Dispose();
            if (server is not null)
            {
                await server.StopAsync();
                await server.DisposeAsync();
            }
            if (tempDir is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { Directory.Delete(tempDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
        return exit;
    }

    static bool Report(Stats stats, List<AgentClient> agents, List<CustomerClient> customers, int resolved, TimeSpan wall, TimeSpan cpu, bool inProcess)
    {
        var ci = CultureInfo.InvariantCulture;
        // Who got which entry: the offer names the conversation; queueChanged only the entry.
        var entryOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in agents)
            foreach (var (entry, conversation) in a.Offers) entryOf[conversation] = entry;

        var toConsole = new List<double>();
        var toEveryConsole = new List<double>();
        var offered = new List<double>();
        var agentToCustomer = new List<double>();
        var customerToAgent = new List<double>();
        foreach (var c in customers)
        {
            if (c.HandoffPostedAt == 0) continue;
            var entry = entryOf.GetValueOrDefault(c.ConversationId);
            var offerAt = agents.Select(a => a.OfferedAt.GetValueOrDefault(c.ConversationId)).Where(t => t != 0).DefaultIfEmpty(0).Min();
            var added = entry is null ? [] : agents.Select(a => a.AddedAt.GetValueOrDefault(entry)).Where(t => t != 0).ToList();
            var first = added.Append(offerAt).Where(t => t != 0).DefaultIfEmpty(0).Min();
            if (first != 0) toConsole.Add(Ms(first - c.HandoffPostedAt));
            if (added.Count == agents.Count) toEveryConsole.Add(Ms(added.Max() - c.HandoffPostedAt));
            if (offerAt != 0) offered.Add(Ms(offerAt - c.HandoffPostedAt));
            if (c.AgentMessageReceivedAt != 0 && stats.AgentMessageSentAt.TryGetValue(c.ConversationId, out var sent)) agentToCustomer.Add(Ms(c.AgentMessageReceivedAt - sent));
            if (c.ReplyPostedAt != 0 && stats.ReplyReceivedAt.TryGetValue(c.ConversationId, out var got)) customerToAgent.Add(Ms(got - c.ReplyPostedAt));
        }

        // Counting, customer side: every activity id once on the stream; the user's two messages echoed once each;
        // the agent's greeting and message exactly once.
        long lost = 0, duplicated = 0;
        var problems = new List<string>();
        void Problem(string what, long n, ref long counter)
        {
            if (n == 0) return;
            counter += n;
            if (problems.Count < 12) problems.Add(what);
        }
        foreach (var c in customers)
        {
            var d = c.DuplicateIds;
            Problem($"{c.ConversationId}: {d} activity ids twice on the stream", d, ref duplicated);
            foreach (var (what, count) in c.Counts())
            {
                if (count == 0) Problem($"{c.ConversationId}: no {what}", 1, ref lost);
                else if (count > 1) Problem($"{c.ConversationId}: {what} {count} times", count - 1, ref duplicated);
            }
        }
        // Agent side: each entry offered once (nothing was re-queued), listed once in every console, the customer's
        // answer once at the assigned agent; no console line of any entry twice.
        var offersByConversation = agents.SelectMany(a => a.Offers.Select(o => o.Conversation)).GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var c in customers)
        {
            var n = offersByConversation.GetValueOrDefault(c.ConversationId);
            if (n == 0) Problem($"{c.ConversationId}: never offered", 1, ref lost);
            else if (n > 1) Problem($"{c.ConversationId}: offered {n} times", n - 1, ref duplicated);
        }
        foreach (var a in agents)
        {
            foreach (var entry in entryOf.Values)
            {
                var n = a.AddedCount.GetValueOrDefault(entry);
                if (n == 0) Problem($"{a.Login}: queueChanged added for {entry} never arrived", 1, ref lost);
                else if (n > 1) Problem($"{a.Login}: queueChanged added for {entry} {n} times", n - 1, ref duplicated);
            }
            foreach (var ((entry, seq), n) in a.LineCounts.Where(kv => kv.Value > 1))
                Problem($"{a.Login}: line {seq} of {entry} {n} times", n - 1, ref duplicated);
            foreach (var conversation in a.Offers.Select(o => o.Conversation))
            {
                var n = a.ReplyLineCount.GetValueOrDefault(conversation);
                if (n == 0) Problem($"{a.Login}: the customer's answer in {conversation} never arrived", 1, ref lost);
            }
        }

        string P(List<double> xs)
        {
            if (xs.Count == 0) return "no samples";
            xs.Sort();
            double Pct(double p) => xs[Math.Min(xs.Count - 1, (int)Math.Ceiling(p / 100 * xs.Count) - 1)];
            return string.Create(ci, $"p50 {Pct(50),7:F1}  p95 {Pct(95),7:F1}  p99 {Pct(99),7:F1}  max {xs[^1],7:F1}  (n={xs.Count})");
        }
        string Verdict(List<double> xs, double target) => xs.Count == 0 ? "" : xs[Math.Min(xs.Count - 1, (int)Math.Ceiling(0.99 * xs.Count) - 1)] < target ? "  target met" : "  TARGET MISSED";

        Console.WriteLine(string.Create(ci, $"chats resolved   {resolved} of {customers.Count} in {wall.TotalSeconds:F1} s ({resolved / wall.TotalSeconds:F1} chats/s)"));
        Console.WriteLine($"handoff→console  ms {P(toConsole)}{Verdict(toConsole, 1000)} (target p99 < 1000)");
        Console.WriteLine($"  offered        ms {P(offered)}");
        Console.WriteLine($"  every console  ms {P(toEveryConsole)}");
        Console.WriteLine($"agent→customer   ms {P(agentToCustomer)}{Verdict(agentToCustomer, 200)} (target p99 < 200)");
        Console.WriteLine($"customer→agent   ms {P(customerToAgent)}");
        Console.WriteLine(string.Create(ci, $"messages counted customers: {customers.Sum(c => c.Received)} activities on streams; agents: {agents.Sum(a => a.Events)} SignalR events"));
        if (inProcess)
            Console.WriteLine(string.Create(ci, $"process CPU      {cpu.TotalSeconds:F1} s over {wall.TotalSeconds:F1} s ({cpu.TotalSeconds / wall.TotalSeconds:F2} cores busy; server and load generator together)"));
        Console.WriteLine($"lost {lost}, duplicated {duplicated}, errors {stats.Errors}" + (stats.FirstError is null ? "" : " — first: " + stats.FirstError));
        foreach (var p in problems) Console.WriteLine("  " + p);
        return lost == 0 && duplicated == 0 && stats.Errors == 0 && resolved == customers.Count;
    }

    static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    internal sealed class Stats
    {
        long _errors;
        int _resolved;
        readonly TaskCompletionSource _allResolved = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int _target = int.MaxValue;

        public string? FirstError;
        public long Errors => Interlocked.Read(ref _errors);
        public readonly ConcurrentDictionary<string, long> AgentMessageSentAt = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, long> ReplyReceivedAt = new(StringComparer.Ordinal);

        public void Fail(string message)
        {
            Interlocked.Increment(ref _errors);
            Interlocked.CompareExchange(ref FirstError, message, null);
        }

        public void Resolved()
        {
            if (Interlocked.Increment(ref _resolved) >= Volatile.Read(ref _target)) _allResolved.TrySetResult();
        }

        public async Task<int> WaitResolvedAsync(int target, TimeSpan timeout)
        {
            Volatile.Write(ref _target, target);
            if (Volatile.Read(ref _resolved) >= target) return target;
            await Task.WhenAny(_allResolved.Task, Task.Delay(timeout > TimeSpan.Zero ? timeout : TimeSpan.FromSeconds(1)));
            return Volatile.Read(ref _resolved);
        }
    }

    static string AgentText(string conversationId) => "Agent here for " + conversationId + ", how can I help?";

    static string ReplyText(string conversationId) => "Thanks, my parcel is late (" + conversationId + ")";

    /// <summary>One agent: a cookie session of its own, the console's SignalR connection, and the REST API.</summary>
    internal sealed partial class AgentClient(string url, string login, Stats stats) : IAsyncDisposable
    {
        readonly CookieContainer _cookies = new();
        HttpClient? _http;
        HubConnection? _hub;
        string _csrf = "";
        readonly Lock _lock = new();
        readonly ConcurrentDictionary<string, TaskCompletionSource> _replies = new(StringComparer.Ordinal);
        long _events;

        public string Login => login;
        public long Events => Interlocked.Read(ref _events);
        public List<(string Entry, string Conversation)> Offers { get; } = [];
        public Dictionary<string, long> OfferedAt { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> AddedAt { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> AddedCount { get; } = new(StringComparer.Ordinal);
        public Dictionary<(string Entry, long Seq), int> LineCounts { get; } = [];
        public Dictionary<string, int> ReplyLineCount { get; } = new(StringComparer.Ordinal);
        readonly Dictionary<string, string> _conversationOfEntry = new(StringComparer.Ordinal);

        [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
        private static partial Regex FormToken();

        public async Task SignInAsync()
        {
            _http = new HttpClient(new SocketsHttpHandler { CookieContainer = _cookies, UseCookies = true, AllowAutoRedirect = false, UseProxy = false })
            { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(60) };

            // The sign-in form as a browser sees it: the page carries the anti-forgery token, its cookie comes along.
            var page = await _http.GetStringAsync("agent/login");
            var token = FormToken().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
                : throw new InvalidOperationException("GET /agent/login has no __RequestVerificationToken field.");
            using (var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = login, ["password"] = Password, ["__RequestVerificationToken"] = token, ["returnUrl"] = "/agent" }))
            using (var response = await _http.PostAsync("agent/login", form))
            {
                if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/agent")
                    throw new InvalidOperationException($"sign-in of {login}: HTTP {(int)response.StatusCode} → {response.Headers.Location}");
            }
            // The signed-in token (bound to the session) for the API's POSTs, as the console page carries it.
            using (var doc = JsonDocument.Parse(await _http.GetStringAsync("agent/api/antiforgery")))
                _csrf = doc.RootElement.GetProperty("token").GetString()!;

            _hub = new HubConnectionBuilder()
                .WithUrl(url + "/agent/hub", o =>
                {
                    o.Cookies = _cookies;
                    o.Transports = HttpTransportType.WebSockets;
                })
                .Build();
            _hub.ServerTimeout = TimeSpan.FromSeconds(120);
            _hub.On<JsonElement>("offered", OnOffered);
            _hub.On<JsonElement>("queueChanged", OnQueueChanged);
            _hub.On<JsonElement>("line", OnLine);
            _hub.On<JsonElement>("presence", _ => Interlocked.Increment(ref _events));
            _hub.On<JsonElement>("typing", _ => Interlocked.Increment(ref _events));
            await _hub.StartAsync();
            await PostAsync("agent/api/status", """{"status":"online"}""", HttpStatusCode.OK);
        }

        void OnOffered(JsonElement summary)
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _events);
            var entry = summary.GetProperty("id").GetString()!;
            var conversation = summary.GetProperty("conversationId").GetString()!;
            lock (_lock)
            {
                Offers.Add((entry, conversation));
                OfferedAt.TryAdd(conversation, now);
                _conversationOfEntry[entry] = conversation;
            }
            // Off the connection's receive loop: SignalR runs one handler at a time per connection.
            _ = Task.Run(() => HandleAsync(entry, conversation));
        }

        void OnQueueChanged(JsonElement change)
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _events);
            if (change.GetProperty("change").GetString() != "added" || change.GetProperty("entryId").GetString() is not { } entry) return;
            lock (_lock)
            {
                AddedAt.TryAdd(entry, now);
                AddedCount[entry] = AddedCount.GetValueOrDefault(entry) + 1;
            }
        }

        void OnLine(JsonElement message)
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _events);
            var entry = message.GetProperty("entryId").GetString()!;
            var line = message.GetProperty("line");
            var seq = line.GetProperty("seq").GetInt64();
            var text = line.GetProperty("text").GetString();
            string? conversation;
            lock (_lock)
            {
                LineCounts[(entry, seq)] = LineCounts.GetValueOrDefault((entry, seq)) + 1;
                conversation = _conversationOfEntry.GetValueOrDefault(entry);
                if (conversation is null || text != ReplyText(conversation)) return;
                ReplyLineCount[conversation] = ReplyLineCount.GetValueOrDefault(conversation) + 1;
            }
            stats.ReplyReceivedAt.TryAdd(conversation, now);
            Reply(conversation).TrySetResult();
        }

        TaskCompletionSource Reply(string conversation) => _replies.GetOrAdd(conversation, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        async Task HandleAsync(string entry, string conversation)
        {
            try
            {
                await PostAsync($"agent/api/entries/{entry}/accept", "{}", HttpStatusCode.OK);
                stats.AgentMessageSentAt[conversation] = Stopwatch.GetTimestamp();
                await PostAsync($"agent/api/entries/{entry}/messages", JsonSerializer.Serialize(new { text = AgentText(conversation) }), HttpStatusCode.NoContent);
                var reply = Reply(conversation).Task;
                if (await Task.WhenAny(reply, Task.Delay(PhaseTimeout)) != reply)
                {
                    stats.Fail($"{login}: no answer from {conversation} in the console");
                    return;
                }
                await PostAsync($"agent/api/entries/{entry}/resolve", "{}", HttpStatusCode.OK);
                stats.Resolved();
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                stats.Fail($"{login} on {entry}: {e.Message}");
            }
        }

        async Task PostAsync(string path, string json, HttpStatusCode expected)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-CSRF-TOKEN", _csrf);
            using var response = await _http!.SendAsync(request);
            if (response.StatusCode != expected)
                throw new InvalidOperationException($"POST /{path}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        public async Task StopAsync()
        {
            if (_hub is not null) await _hub.StopAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_hub is not null) await _hub.DisposeAsync();
            _http?.Dispose();
        }
    }

    /// <summary>One Web Chat customer: a Direct Line conversation and its WebSocket stream.</summary>
    internal sealed class CustomerClient(HttpClient http, string secret, string userId, Stats stats) : IDisposable
    {
        string _token = "";
        readonly ClientWebSocket _socket = new();
        readonly CancellationTokenSource _stop = new();
        readonly TaskCompletionSource _agentMessage = new(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        readonly Dictionary<string, int> _texts = new(StringComparer.Ordinal);
        Task _receiving = Task.CompletedTask;
        int _duplicateIds;
        long _received;

        public string ConversationId { get; private set; } = "";
        public long HandoffPostedAt { get; private set; }
        public long ReplyPostedAt { get; private set; }
        public long AgentMessageReceivedAt { get; private set; }
        public int DuplicateIds => _duplicateIds;
        public long Received => Interlocked.Read(ref _received);

        /// <summary>What must reach this customer exactly once.</summary>
        public IEnumerable<(string What, int Count)> Counts()
        {
            lock (_texts)
            {
                yield return ("echo of 'talk to a human'", _texts.GetValueOrDefault("user:talk to a human"));
                yield return ("echo of the answer", _texts.GetValueOrDefault("user:" + ReplyText(ConversationId)));
                yield return ("agent greeting", _texts.Where(kv => kv.Key.StartsWith("agent:Hi, this is ", StringComparison.Ordinal)).Sum(kv => kv.Value));
                yield return ("agent message", _texts.GetValueOrDefault("agent:" + AgentText(ConversationId)));
            }
        }

        public async Task OpenAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v3/directline/conversations")
            { Content = new StringContent(JsonSerializer.Serialize(new { user = new { id = userId, name = "Customer " + userId[^4..] } }), Encoding.UTF8, "application/json") };
            request.Headers.Add("Authorization", "Bearer " + secret);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"POST conversations: HTTP {(int)response.StatusCode} {body}");
            using var doc = JsonDocument.Parse(body);
            ConversationId = doc.RootElement.GetProperty("conversationId").GetString()!;
            _token = doc.RootElement.GetProperty("token").GetString()!;
            await _socket.ConnectAsync(new Uri(doc.RootElement.GetProperty("streamUrl").GetString()!), CancellationToken.None);
            _receiving = Task.Run(ReceiveAsync);
        }

        public async Task ChatAsync(TimeSpan startAfter)
        {
            await Task.Delay(startAfter);
            try
            {
                HandoffPostedAt = Stopwatch.GetTimestamp();
                await SayAsync("talk to a human");
                var message = _agentMessage.Task;
                if (await Task.WhenAny(message, Task.Delay(PhaseTimeout)) != message)
                {
                    stats.Fail($"{ConversationId}: the agent's message never arrived");
                    return;
                }
                ReplyPostedAt = Stopwatch.GetTimestamp();
                await SayAsync(ReplyText(ConversationId));
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                stats.Fail($"{ConversationId}: {e.Message}");
            }
        }

        async Task SayAsync(string text)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"v3/directline/conversations/{ConversationId}/activities")
            { Content = new StringContent(JsonSerializer.Serialize(new { type = "message", text, from = new { id = userId }, locale = "en-US" }), Encoding.UTF8, "application/json") };
            request.Headers.Add("Authorization", "Bearer " + _token);
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"POST activities '{text}': HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        async Task ReceiveAsync()
        {
            var buffer = new byte[64 * 1024];
            using var frame = new MemoryStream();
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close) break;
                    frame.Write(buffer, 0, result.Count);
                    if (!result.EndOfMessage) continue;
                    var now = Stopwatch.GetTimestamp();
                    if (frame.Length > 0) Take(frame.GetBuffer().AsSpan(0, (int)frame.Length), now);
                    frame.SetLength(0);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
            }
        }

        void Take(ReadOnlySpan<byte> json, long now)
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            foreach (var a in doc.RootElement.GetProperty("activities").EnumerateArray())
            {
                Interlocked.Increment(ref _received);
                var id = a.GetProperty("id").GetString()!;
                var type = a.GetProperty("type").GetString();
                var from = a.GetProperty("from");
                var text = type == "message" && a.TryGetProperty("text", out var t) ? t.GetString() : null;
                var who = from.TryGetProperty("role", out var r) && r.GetString() == "user" ? "user"
                    : from.GetProperty("id").GetString()!.StartsWith("agent:", StringComparison.Ordinal) ? "agent" : "bot";
                lock (_texts)
                {
                    if (!_ids.Add(id)) _duplicateIds++;
                    else if (text is not null) _texts[who + ":" + text] = _texts.GetValueOrDefault(who + ":" + text) + 1;
                }
                if (who == "agent" && text == AgentText(ConversationId))
                {
                    if (AgentMessageReceivedAt == 0) AgentMessageReceivedAt = now;
                    _agentMessage.TrySetResult();
                }
            }
        }

        public void Stop() => _stop.Cancel();

        public void Dispose()
        {
            _stop.Cancel();
            try { _receiving.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
            _socket.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>
    /// Until the console's sign-in page (<c>GET /agent/login</c>, docs/agent-hub.md "Pages") is in this branch, the
    /// benchmark's host serves a minimal one with the same hidden <c>__RequestVerificationToken</c> field, so the
    /// agents sign in through the real form POST either way. It steps aside as soon as the server maps the page.
    /// </summary>
    sealed class LoginPageStandIn : IStartupFilter
    {
        public static bool Served;

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            bool? serverHasPage = null;
            app.Use(async (context, nextMiddleware) =>
            {
                if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/agent/login")
                {
                    serverHasPage ??= context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                        .Any(e => e.RoutePattern.RawText == "/agent/login" && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true);
                    if (serverHasPage == false)
                    {
                        Served = true;
                        var token = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken;
                        context.Response.ContentType = "text/html; charset=utf-8";
                        await context.Response.WriteAsync($"""<form method="post" action="/agent/login"><input type="hidden" name="__RequestVerificationToken" value="{WebUtility.HtmlEncode(token)}"></form>""");
                        return;
                    }
                }
                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
