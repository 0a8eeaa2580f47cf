using System.Text.Json;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Storage;

/// <summary>
/// What every <see cref="IHubStore"/> promises, written once: the SQLite store runs it now, a PostgreSQL store
/// derives from it later. <see cref="Reopen"/> is a second store over the same data (a restarted server).
/// </summary>
public abstract class HubStoreContract : IDisposable
{
    protected abstract IHubStore Store { get; }

    protected abstract IHubStore Reopen();

    public abstract void Dispose();

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_agent_is_added_once_and_read_back_with_every_field()
    {
        var agent = HubData.Agent("sato", "佐藤 花子", AgentRole.Supervisor, "support,billing", maxChats: 5) with { FailedLogins = 2, LockedUntilUtc = HubData.Start.AddMinutes(15) };

        Assert.True(await Store.AddAgentAsync(agent, Ct));
        Assert.False(await Store.AddAgentAsync(HubData.Agent("sato", "Other"), Ct));

        var read = await Store.GetAgentAsync("sato", Ct);
        Assert.NotNull(read);
        AssertAgent(agent, read);
        Assert.Null(await Store.GetAgentAsync("nobody", Ct));
    }

    [Fact]
    public async Task Updating_an_agent_replaces_hash_flags_and_lockout()
    {
        await Store.AddAgentAsync(HubData.Agent("sato"), Ct);
        var changed = HubData.Agent("sato", "Sato Hanako", AgentRole.Admin, "*", 7) with { PasswordHash = "new-hash", FailedLogins = 4, LockedUntilUtc = HubData.Start.AddHours(1) };
        changed = changed with { Account = changed.Account with { Disabled = true, SecurityStamp = "stamp-2" } };

        await Store.UpdateAgentAsync(changed, Ct);

        AssertAgent(changed, (await Store.GetAgentAsync("sato", Ct))!);
        await Store.UpdateAgentAsync(changed with { FailedLogins = 0, LockedUntilUtc = null }, Ct);
        var cleared = (await Store.GetAgentAsync("sato", Ct))!;
        Assert.Equal(0, cleared.FailedLogins);
        Assert.Null(cleared.LockedUntilUtc);
    }

    [Fact]
    public async Task Agents_are_listed_by_login()
    {
        foreach (var login in new[] { "tanaka", "abe", "lee" })
            await Store.AddAgentAsync(HubData.Agent(login), Ct);

        var list = await Store.ListAgentsAsync(Ct);

        Assert.Equal(["abe", "lee", "tanaka"], list.Select(a => a.Login));
    }

    [Fact]
    public async Task An_entry_round_trips_every_field_including_its_context()
    {
        var entry = HubData.Entry("h1", "webchat/c1") with
        {
            Status = EntryStatus.Assigned, Agent = "sato", OfferedUtc = HubData.Start.AddSeconds(5), AcceptedUtc = HubData.Start.AddSeconds(9),
            Priority = 3, RuleLocation = null, CustomerName = null, Locale = null, UserId = null,
        };

        await Store.InsertEntryAsync(entry, Ct);
        var read = await Store.GetEntryAsync("h1", Ct);

        Assert.NotNull(read);
        AssertEntry(entry, read);
        Assert.Null(await Store.GetEntryAsync("nope", Ct));
    }

    [Fact]
    public async Task An_entry_update_wins_only_against_the_version_it_read()
    {
        var entry = HubData.Entry("h1", "webchat/c1");
        await Store.InsertEntryAsync(entry, Ct);
        var first = entry with { Status = EntryStatus.Assigned, Agent = "sato", AcceptedUtc = HubData.Start.AddMinutes(1), Version = 2 };
        var second = entry with { Status = EntryStatus.Assigned, Agent = "lee", AcceptedUtc = HubData.Start.AddMinutes(1), Version = 2 };

        Assert.True(await Store.UpdateEntryAsync(first, expectedVersion: 1, Ct));
        Assert.False(await Store.UpdateEntryAsync(second, expectedVersion: 1, Ct));

        var stored = (await Store.GetEntryAsync("h1", Ct))!;
        Assert.Equal("sato", stored.Agent);
        Assert.Equal(2, stored.Version);
    }

    [Fact]
    public async Task An_update_changes_the_queue_state_and_context()
    {
        var entry = HubData.Entry("h1", "webchat/c1");
        await Store.InsertEntryAsync(entry, Ct);
        var ended = entry with
        {
            Queue = "billing", Priority = 2, CustomerName = "John", Status = EntryStatus.Resolved, EndedUtc = HubData.Start.AddMinutes(9),
            LastCustomerActivityUtc = HubData.Start.AddMinutes(8), Outcome = "解決済み", Context = HubData.Context("after_purchase"), Version = 2,
        };

        Assert.True(await Store.UpdateEntryAsync(ended, 1, Ct));

        AssertEntry(ended, (await Store.GetEntryAsync("h1", Ct))!);
    }

    [Fact]
    public async Task Open_entries_are_the_queued_and_assigned_ones_oldest_first()
    {
        await Store.InsertEntryAsync(HubData.Entry("h-late", "k1", waitingSince: HubData.Start.AddMinutes(3)), Ct);
        await Store.InsertEntryAsync(HubData.Entry("h-early", "k2", status: EntryStatus.Assigned, waitingSince: HubData.Start.AddMinutes(1)), Ct);
        await Store.InsertEntryAsync(HubData.Entry("h-mid", "k3", status: EntryStatus.Offered, waitingSince: HubData.Start.AddMinutes(2)), Ct);
        foreach (var (status, i) in new[] { EntryStatus.Resolved, EntryStatus.ReturnedToBot, EntryStatus.TimedOut, EntryStatus.Abandoned, EntryStatus.Unattended }.Select((s, i) => (s, i)))
            await Store.InsertEntryAsync(HubData.Entry("h-ended-" + i, "e" + i, status: status), Ct);

        var open = await Store.ListOpenEntriesAsync(Ct);

        Assert.Equal(["h-early", "h-mid", "h-late"], open.Select(e => e.Id));
    }

    [Fact]
    public async Task Ended_entries_are_newest_first_filtered_by_customer_and_limited()
    {
        for (var i = 0; i < 4; i++)
        {
            var e = HubData.Entry("h" + i, "k" + i, status: EntryStatus.Resolved, userId: i == 3 ? "user-2" : "user-1") with { EndedUtc = HubData.Start.AddMinutes(i) };
            await Store.InsertEntryAsync(e, Ct);
        }
        await Store.InsertEntryAsync(HubData.Entry("open", "k9"), Ct);
        await Store.InsertEntryAsync(HubData.Entry("other-scenario", "k8", status: EntryStatus.Resolved) with { ScenarioId = "other" }, Ct);

        Assert.Equal(["h2", "h1", "h0"], (await Store.ListEndedEntriesAsync("retail-support", "user-1", 10, Ct)).Select(e => e.Id));
        Assert.Equal(["h3"], (await Store.ListEndedEntriesAsync("retail-support", "user-2", 10, Ct)).Select(e => e.Id));
        Assert.Equal(["h3", "h2"], (await Store.ListEndedEntriesAsync("retail-support", null, 2, Ct)).Select(e => e.Id));
        Assert.Equal(5, (await Store.ListEndedEntriesAsync(null, null, 10, Ct)).Count);
    }

    [Fact]
    public async Task Notes_belong_to_their_entry_in_order_with_the_whisper_flag()
    {
        var a = await Store.AddNoteAsync("h1", "sato", "住所変更の依頼あり", whisper: false, HubData.Start, Ct);
        var other = await Store.AddNoteAsync("h2", "lee", "other entry", whisper: false, HubData.Start, Ct);
        var b = await Store.AddNoteAsync("h1", "lee", "Offer a coupon", whisper: true, HubData.Start.AddSeconds(30), Ct);

        var notes = await Store.ListNotesAsync("h1", Ct);

        Assert.True(b.Id > a.Id);
        Assert.NotEqual(a.Id, other.Id);
        Assert.Equal([a, b], notes);
        Assert.Empty(await Store.ListNotesAsync("none", Ct));
    }

    [Fact]
    public async Task A_ticket_is_inserted_once_and_closed_once()
    {
        var ticket = HubData.Ticket("T-1");

        Assert.True(await Store.InsertTicketAsync(ticket, Ct));
        Assert.False(await Store.InsertTicketAsync(ticket with { Contact = "changed" }, Ct));
        var closed = await Store.CloseTicketAsync("T-1", "sato", "折り返し済み", HubData.Start.AddHours(1), Ct);
        var again = await Store.CloseTicketAsync("T-1", "lee", "again", HubData.Start.AddHours(2), Ct);

        Assert.NotNull(closed);
        Assert.True(closed.Closed);
        Assert.Equal("sato", closed.ClosedBy);
        Assert.Equal("折り返し済み", closed.Resolution);
        Assert.Equal(HubData.Start.AddHours(1), closed.ClosedUtc);
        Assert.Equal("+81-3-1234-5678", closed.Contact);
        Assert.True(JsonElement.DeepEquals(ticket.Context, closed.Context), closed.Context.GetRawText());
        Assert.Equal("二重に請求されている", closed.Context.GetProperty("note").GetString());
        Assert.Null(again);
        Assert.Null(await Store.CloseTicketAsync("T-404", "sato", null, HubData.Start, Ct));
    }

    [Fact]
    public async Task Open_tickets_are_listed_newest_first_and_closed_ones_only_on_request()
    {
        for (var i = 1; i <= 3; i++)
            await Store.InsertTicketAsync(HubData.Ticket("T-" + i, created: HubData.Start.AddMinutes(i)), Ct);
        await Store.CloseTicketAsync("T-2", "sato", null, HubData.Start.AddHours(1), Ct);

        Assert.Equal(["T-3", "T-1"], (await Store.ListTicketsAsync(includeClosed: false, 10, Ct)).Select(t => t.Number));
        Assert.Equal(["T-3", "T-2", "T-1"], (await Store.ListTicketsAsync(includeClosed: true, 10, Ct)).Select(t => t.Number));
        Assert.Equal(["T-3"], (await Store.ListTicketsAsync(includeClosed: true, 1, Ct)).Select(t => t.Number));
        var first = (await Store.ListTicketsAsync(false, 10, Ct)).Single(t => t.Number == "T-1");
        Assert.Equal(HubData.Ticket("T-1").PreferredTime, first.PreferredTime);
        Assert.False(first.Closed);
    }

    [Fact]
    public async Task The_audit_is_read_newest_first_with_actor_conversation_since_and_limit_filters()
    {
        await Store.AppendAuditAsync(new AuditRecord(0, HubData.Start, "sato", AuditActions.Login, null, null, null), Ct);
        await Store.AppendAuditAsync(new AuditRecord(0, HubData.Start.AddMinutes(1), "sato", AuditActions.Accept, "webchat/c1", "h1", null), Ct);
        await Store.AppendAuditAsync(new AuditRecord(0, HubData.Start.AddMinutes(2), "lee", AuditActions.Whisper, "webchat/c1", "h1", "クーポンを提案"), Ct);
        await Store.AppendAuditAsync(new AuditRecord(0, HubData.Start.AddMinutes(3), "sato", AuditActions.Message, "webchat/c2", "h2", null), Ct);

        var all = await Store.ReadAuditAsync(new AuditQuery(), Ct);
        Assert.Equal([AuditActions.Message, AuditActions.Whisper, AuditActions.Accept, AuditActions.Login], all.Select(r => r.Action));
        Assert.Equal(all.Select(r => r.Id).OrderDescending(), all.Select(r => r.Id));
        var whisper = all[1];
        Assert.Equal(new AuditRecord(whisper.Id, HubData.Start.AddMinutes(2), "lee", AuditActions.Whisper, "webchat/c1", "h1", "クーポンを提案"), whisper);

        Assert.Equal([AuditActions.Message, AuditActions.Accept, AuditActions.Login], (await Store.ReadAuditAsync(new AuditQuery(Actor: "sato"), Ct)).Select(r => r.Action));
        Assert.Equal([AuditActions.Whisper, AuditActions.Accept], (await Store.ReadAuditAsync(new AuditQuery(ConversationKey: "webchat/c1"), Ct)).Select(r => r.Action));
        Assert.Equal([AuditActions.Message, AuditActions.Whisper], (await Store.ReadAuditAsync(new AuditQuery(SinceUtc: HubData.Start.AddMinutes(2)), Ct)).Select(r => r.Action));
        Assert.Equal([AuditActions.Accept], (await Store.ReadAuditAsync(new AuditQuery(Actor: "sato", ConversationKey: "webchat/c1"), Ct)).Select(r => r.Action));
        Assert.Equal([AuditActions.Message, AuditActions.Whisper], (await Store.ReadAuditAsync(new AuditQuery(Limit: 2), Ct)).Select(r => r.Action));
    }

    [Fact]
    public async Task A_since_filter_with_an_offset_compares_instants()
    {
        await Store.AppendAuditAsync(new AuditRecord(0, HubData.Start, "sato", AuditActions.Login, null, null, null), Ct);
        await Store.AppendAuditAsync(new AuditRecord(0, HubData.Start.AddHours(2), "sato", AuditActions.Logout, null, null, null), Ct);

        // 10:00 in Tokyo is 01:00 UTC: only the later record is at or after it.
        var since = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(9));
        Assert.Equal([AuditActions.Logout], (await Store.ReadAuditAsync(new AuditQuery(SinceUtc: since), Ct)).Select(r => r.Action));
    }

    [Fact]
    public async Task A_reopened_store_has_everything()
    {
        var agent = HubData.Agent("sato");
        var entry = HubData.Entry("h1", "webchat/c1", status: EntryStatus.Offered) with { Agent = "sato", OfferedUtc = HubData.Start.AddSeconds(3) };
        await Store.AddAgentAsync(agent, Ct);
        await Store.InsertEntryAsync(entry, Ct);
        var note = await Store.AddNoteAsync("h1", "sato", "メモ", false, HubData.Start, Ct);
        await Store.InsertTicketAsync(HubData.Ticket("T-1"), Ct);
        await Store.AppendAuditAsync(new AuditRecord(0, HubData.Start, "sato", AuditActions.Login, null, null, null), Ct);

        var reopened = Reopen();

        AssertAgent(agent, (await reopened.GetAgentAsync("sato", Ct))!);
        AssertEntry(entry, Assert.Single(await reopened.ListOpenEntriesAsync(Ct)));
        Assert.Equal([note], await reopened.ListNotesAsync("h1", Ct));
        Assert.Equal("T-1", Assert.Single(await reopened.ListTicketsAsync(false, 10, Ct)).Number);
        Assert.Equal(AuditActions.Login, Assert.Single(await reopened.ReadAuditAsync(new AuditQuery(), Ct)).Action);
        Assert.False(await reopened.AddAgentAsync(agent, Ct));
    }

    // Records compare ImmutableArray and JsonElement by reference: compare their contents.
    static void AssertAgent(AgentCredentials expected, AgentCredentials actual)
    {
        Assert.Equal(expected.Account with { Queues = [] }, actual.Account with { Queues = [] });
        Assert.Equal(expected.Account.Queues, actual.Account.Queues);
        Assert.Equal(expected.PasswordHash, actual.PasswordHash);
        Assert.Equal(expected.FailedLogins, actual.FailedLogins);
        Assert.Equal(expected.LockedUntilUtc, actual.LockedUntilUtc);
    }

    static void AssertEntry(HandoffEntry expected, HandoffEntry actual)
    {
        var blank = default(JsonElement);
        Assert.Equal(expected with { Context = blank }, actual with { Context = blank });
        Assert.True(JsonElement.DeepEquals(expected.Context, actual.Context), actual.Context.GetRawText());
    }
}
