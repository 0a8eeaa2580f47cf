using System.Text.Json.Nodes;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Queue;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Queue;

/// <summary>What agents and supervisors do with a chat: write, note, transfer, return to the bot, monitor, take over, join; and who may.</summary>
public sealed class AgentActionTests : HubServiceTests
{
    async Task<(AgentAccount Agent, HandoffEntry Entry)> AssignedAsync(string login = "sato", string conversationKey = "c1")
    {
        Harness.PickMode();
        var agent = Harness.Hub.GetAgentState(login) is null ? await Harness.OnlineAsync(login) : (await Harness.Store.GetAgentAsync(login, Ct))!.Account;
        var entry = await Harness.EnqueueAsync(conversationKey);
        return (agent, await Harness.Hub.AcceptAsync(agent, entry.Id, Ct));
    }

    [Fact]
    public async Task The_assigned_agent_writes_to_the_customer_and_nobody_else_can()
    {
        var (sato, entry) = await AssignedAsync();
        var lee = await Harness.OnlineAsync("lee");

        await Harness.Hub.SendAsync(sato, entry.Id, "  ご注文番号を確認します。  ", Ct);
        var e = await Assert.ThrowsAsync<HubException>(() => Harness.Hub.SendAsync(lee, entry.Id, "hello", Ct));
        var empty = await Assert.ThrowsAsync<HubException>(() => Harness.Hub.SendAsync(sato, entry.Id, "   ", Ct));

        Assert.Equal(new FakeConversationGateway.Sent(entry.Id, "sato", "ご注文番号を確認します。"), Harness.Gateway.Messages.Last());
        Assert.Equal(HubException.Forbidden, e.Code);
        Assert.Equal(HubException.Invalid, empty.Code);
        Assert.Contains(await Harness.Store.ReadAuditAsync(new AuditQuery(Actor: "sato"), Ct), r => r.Action == AuditActions.Message && r.EntryId == entry.Id);
    }

    [Fact]
    public async Task Transfer_to_a_queue_puts_the_chat_back_in_line_there_with_the_note()
    {
        var (sato, entry) = await AssignedAsync();
        Harness.PickMode("billing");

        var moved = await Harness.Hub.TransferAsync(sato, entry.Id, "billing", null, "返金の件です", Ct);

        Assert.Equal(("billing", EntryStatus.Waiting, (string?)null, (DateTimeOffset?)null), (moved.Queue, moved.Status, moved.Agent, moved.AcceptedUtc));
        Assert.Equal(entry.WaitingSinceUtc, moved.WaitingSinceUtc);
        Assert.Equal("billing", (await Harness.StoredAsync(entry.Id)).Queue);
        var note = Assert.Single(await Harness.Store.ListNotesAsync(entry.Id, Ct));
        Assert.Equal(("sato", "[transfer to queue billing] 返金の件です", false), (note.Author, note.Text, note.Whisper));
        Assert.Contains($"queue support transferred {entry.Id}", Harness.Notifier.Events);
        Assert.Contains($"queue billing transferred {entry.Id}", Harness.Notifier.Events);
        Assert.Contains(await Harness.Store.ReadAuditAsync(new AuditQuery(Actor: "sato"), Ct), r => r.Action == AuditActions.Transfer && r.Detail == "to queue billing");
    }

    [Fact]
    public async Task Transfer_to_an_online_agent_offers_it_to_them()
    {
        var (sato, entry) = await AssignedAsync();
        var abe = await Harness.OnlineAsync("abe", queues: "billing");

        var moved = await Harness.Hub.TransferAsync(sato, entry.Id, "billing", "abe", "VIP customer", Ct);

        Assert.Equal(("billing", EntryStatus.Offered, "abe"), (moved.Queue, moved.Status, moved.Agent));
        Assert.Contains($"offered abe {entry.Id}", Harness.Notifier.Events);
        Assert.Equal(EntryStatus.Assigned, (await Harness.Hub.AcceptAsync(abe, entry.Id, Ct)).Status);
    }

    [Fact]
    public async Task Transfers_that_cannot_work_are_refused_and_change_nothing()
    {
        var (sato, entry) = await AssignedAsync();
        await Harness.AccountAsync("offline");
        var lee = await Harness.OnlineAsync("lee");
        await Harness.OnlineAsync("abe", queues: "billing");

        Assert.Equal(HubException.Invalid, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.TransferAsync(sato, entry.Id, null, null, null, Ct))).Code);
        Assert.Equal(HubException.Invalid, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.TransferAsync(sato, entry.Id, "no-such-queue", null, null, Ct))).Code);
        Assert.Equal(HubException.Invalid, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.TransferAsync(sato, entry.Id, null, "ghost", null, Ct))).Code);
        Assert.Equal(HubException.Invalid, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.TransferAsync(sato, entry.Id, "support", "abe", null, Ct))).Code);
        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.TransferAsync(lee, entry.Id, "billing", null, null, Ct))).Code);
        await Harness.Hub.RefreshAccountAsync("offline", Ct);
        Assert.Equal(HubException.Conflict, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.TransferAsync(sato, entry.Id, null, "offline", null, Ct))).Code);

        Assert.Equal((EntryStatus.Assigned, "sato", "support"), (Harness.Current("c1").Status, Harness.Current("c1").Agent, Harness.Current("c1").Queue));
        Assert.Empty(await Harness.Store.ListNotesAsync(entry.Id, Ct));
    }

    [Fact]
    public async Task Return_to_the_bot_is_validated_by_the_gateway_first()
    {
        var (sato, entry) = await AssignedAsync();

        var e = await Assert.ThrowsAsync<HubException>(() => Harness.Hub.ReturnToBotAsync(sato, entry.Id, "no_such_flow", new JsonObject { ["order.number"] = 12345678 }, null, resolved: false, Ct));

        Assert.Equal(HubException.Invalid, e.Code);
        Assert.Contains("no_such_flow", e.Message, StringComparison.Ordinal);
        Assert.Contains("order.number", e.Message, StringComparison.Ordinal);
        Assert.Empty(Harness.Gateway.Returns);
        Assert.Equal(EntryStatus.Assigned, Harness.Current("c1").Status);
    }

    [Fact]
    public async Task Return_to_the_bot_into_a_flow_with_variables_ends_the_chat()
    {
        var (sato, entry) = await AssignedAsync();

        var ended = await Harness.Hub.ReturnToBotAsync(sato, entry.Id, "order_status", new JsonObject { ["order.number"] = "12345678" }, " 引き続きボットがご案内します ", resolved: false, Ct);

        Assert.Equal(new FakeConversationGateway.Returned(entry.Id, "completed", "returned", "order_status", """{"order.number":"12345678"}""", "引き続きボットがご案内します"), Assert.Single(Harness.Gateway.Returns));
        Assert.Equal((EntryStatus.ReturnedToBot, "returned to bot: flow order_status"), (ended.Status, ended.Outcome));
        Assert.Null(Harness.Hub.FindOpen("c1"));
        Assert.Equal(EntryStatus.ReturnedToBot, (await Harness.StoredAsync(entry.Id)).Status);
        Assert.Equal(0, Harness.Hub.GetAgentState("sato")!.ActiveChats);
    }

    [Fact]
    public async Task Resolving_ends_the_chat_as_resolved()
    {
        var (sato, entry) = await AssignedAsync();

        var ended = await Harness.Hub.ReturnToBotAsync(sato, entry.Id, " ", null, null, resolved: true, Ct);

        Assert.Equal(new FakeConversationGateway.Returned(entry.Id, "completed", "resolved", null, null, null), Assert.Single(Harness.Gateway.Returns));
        Assert.Equal((EntryStatus.Resolved, "resolved"), (ended.Status, ended.Outcome));
    }

    [Fact]
    public async Task Only_the_assigned_agent_or_a_supervisor_ends_a_chat()
    {
        var (_, entry) = await AssignedAsync();
        var lee = await Harness.OnlineAsync("lee");
        var boss = await Harness.OnlineAsync("boss", queues: "", role: AgentRole.Supervisor);

        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.ReturnToBotAsync(lee, entry.Id, null, null, null, true, Ct))).Code);
        Assert.Equal(EntryStatus.Resolved, (await Harness.Hub.ReturnToBotAsync(boss, entry.Id, null, null, null, true, Ct)).Status);
    }

    [Fact]
    public async Task Take_over_monitor_whisper_and_join_are_for_supervisors_only()
    {
        var (sato, entry) = await AssignedAsync();
        Harness.Gateway.WithBot["c2"] = HubData.Request("c2");

        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.TakeOverAsync(sato, entry.Id, Ct))).Code);
        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.MonitorAsync(sato, entry.Id, Ct))).Code);
        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.AddNoteAsync(sato, entry.Id, "psst", whisper: true, Ct))).Code);
        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.JoinAsync(sato, "c2", Ct))).Code);

        Assert.Equal((EntryStatus.Assigned, "sato"), (Harness.Current("c1").Status, Harness.Current("c1").Agent));
        Assert.Null(Harness.Hub.FindOpen("c2"));
        Assert.Empty(Harness.Gateway.Joins);
    }

    [Fact]
    public async Task A_supervisor_monitors_whispers_and_takes_over()
    {
        var (_, entry) = await AssignedAsync();
        var boss = await Harness.OnlineAsync("boss", queues: "", role: AgentRole.Supervisor);

        var seen = await Harness.Hub.MonitorAsync(boss, entry.Id, Ct);
        var whisper = await Harness.Hub.AddNoteAsync(boss, entry.Id, "クーポンを提案して", whisper: true, Ct);
        var taken = await Harness.Hub.TakeOverAsync(boss, entry.Id, Ct);

        Assert.Equal(entry.Id, seen.Id);
        Assert.True(whisper.Whisper);
        Assert.Contains($"note {entry.Id} boss クーポンを提案して", Harness.Notifier.Events);
        Assert.Equal((EntryStatus.Assigned, "boss"), (taken.Status, taken.Agent));
        Assert.Equal("boss", (await Harness.StoredAsync(entry.Id)).Agent);
        // sato's console learns the chat is gone; the customer is told who answers now.
        Assert.Contains($"offered sato {entry.Id}", Harness.Notifier.Events);
        Assert.Equal(("boss", "担当のbossさんです。ここからは私がご対応いたします。"), (Harness.Gateway.Messages.Last().Agent, Harness.Gateway.Messages.Last().Text));
        var actions = (await Harness.Store.ReadAuditAsync(new AuditQuery(Actor: "boss"), Ct)).Select(r => (r.Action, r.Detail)).Reverse();
        Assert.Equal([(AuditActions.Status, "online"), (AuditActions.Monitor, null), (AuditActions.Whisper, null), (AuditActions.TakeOver, "from sato")], actions);
    }

    [Fact]
    public async Task A_supervisor_joins_a_conversation_still_with_the_bot()
    {
        var boss = await Harness.OnlineAsync("boss", queues: "", role: AgentRole.Supervisor);
        Harness.Gateway.WithBot["c2"] = HubData.Request("c2") with { RuleId = "proactive-join" };

        var joined = await Harness.Hub.JoinAsync(boss, "c2", Ct);

        Assert.Equal((EntryStatus.Assigned, "boss", "proactive-join"), (joined.Status, joined.Agent, joined.RuleId));
        Assert.Equal(("c2", "boss"), Assert.Single(Harness.Gateway.Joins));
        Assert.Equal(EntryStatus.Assigned, (await Harness.StoredAsync(joined.Id)).Status);
        Assert.Equal(joined.Id, Harness.Hub.FindOpen("c2")!.Id);
        Assert.Equal(HubException.Conflict, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.JoinAsync(boss, "c2", Ct))).Code);
        Assert.Equal(HubException.NotFound, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.JoinAsync(boss, "nobody", Ct))).Code);
    }

    [Fact]
    public async Task An_agent_sees_only_the_queues_they_serve()
    {
        Harness.PickMode();
        var entry = await Harness.EnqueueAsync("c1", queue: "support");
        var abe = await Harness.OnlineAsync("abe", queues: "billing");
        var boss = await Harness.OnlineAsync("boss", queues: "", role: AgentRole.Supervisor);
        var all = await Harness.OnlineAsync("all", queues: "*");

        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.GetVisibleAsync(abe, entry.Id, Ct))).Code);
        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.AcceptAsync(abe, entry.Id, Ct))).Code);
        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.AddNoteAsync(abe, entry.Id, "note", false, Ct))).Code);
        Assert.DoesNotContain(Harness.Hub.ListOpen(abe), e => e.Id == entry.Id);
        Assert.Contains(Harness.Hub.ListOpen(boss), e => e.Id == entry.Id);
        Assert.Contains(Harness.Hub.ListOpen(all), e => e.Id == entry.Id);
        Assert.Equal(entry.Id, (await Harness.Hub.GetVisibleAsync(boss, entry.Id, Ct)).Id);
        Assert.Equal(HubException.NotFound, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.GetVisibleAsync(boss, "no-such-id", Ct))).Code);
    }

    [Fact]
    public async Task Ended_entries_stay_visible_to_their_queue_and_count_as_earlier_sessions()
    {
        var (sato, entry) = await AssignedAsync();
        await Harness.Hub.ReturnToBotAsync(sato, entry.Id, null, null, null, true, Ct);
        var abe = await Harness.OnlineAsync("abe", queues: "billing");

        Assert.Equal(EntryStatus.Resolved, (await Harness.Hub.GetVisibleAsync(sato, entry.Id, Ct)).Status);
        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.GetVisibleAsync(abe, entry.Id, Ct))).Code);
        var next = await Harness.Hub.EnqueueAsync(HubData.Request("c1-again", userId: entry.UserId), Ct);
        Assert.Equal([entry.Id], (await Harness.Hub.EarlierSessionsAsync(next, Ct)).Select(e => e.Id));
    }

    [Fact]
    public async Task Tickets_are_recorded_once_and_closed_by_an_agent_of_their_queue()
    {
        var sato = await Harness.OnlineAsync("sato");
        var abe = await Harness.OnlineAsync("abe", queues: "billing");
        await Harness.Hub.RecordTicketAsync(HubData.Ticket("T-1"), Ct);
        await Harness.Hub.RecordTicketAsync(HubData.Ticket("T-1"), Ct);

        Assert.Single(Harness.Notifier.Events, e => e == "tickets");
        Assert.Empty(await Harness.Hub.ListTicketsAsync(abe, false, Ct));
        Assert.Equal(HubException.Forbidden, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.CloseTicketAsync(abe, "T-1", null, Ct))).Code);
        var closed = await Harness.Hub.CloseTicketAsync(sato, "T-1", "折り返し済み", Ct);
        Assert.Equal(("sato", "折り返し済み"), (closed.ClosedBy, closed.Resolution));
        Assert.Equal(HubException.NotFound, (await Assert.ThrowsAsync<HubException>(() => Harness.Hub.CloseTicketAsync(sato, "T-1", null, Ct))).Code);
        Assert.Empty(await Harness.Hub.ListTicketsAsync(sato, false, Ct));
        Assert.Single(await Harness.Hub.ListTicketsAsync(sato, true, Ct));
    }
}
