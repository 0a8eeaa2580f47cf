using ScenarioKit.Cli.Graph;
using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Graph;

public sealed class FlowGraphBuilderTests
{
    static readonly FlowGraph Graph = FlowGraphBuilder.Build(TestModels.Shop());

    static GraphNode NodeLabelled(string start) => Assert.Single(Graph.Nodes, n => n.Label.StartsWith(start, StringComparison.Ordinal));

    static GraphEdge EdgeBetween(GraphNode from, GraphNode to) => Assert.Single(Graph.Edges, e => e.From == from.Id && e.To == to.Id);

    [Fact]
    public void Every_edge_joins_declared_nodes_and_ids_are_unique_and_safe()
    {
        var ids = Graph.Nodes.Select(n => n.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9_]+$", id));
        Assert.All(Graph.Edges, e => { Assert.Contains(e.From, ids); Assert.Contains(e.To, ids); });
        Assert.All(Graph.Nodes.Where(n => n.Cluster is not null), n => Assert.Contains(Graph.Clusters, c => c.Id == n.Cluster));
    }

    [Fact]
    public void The_journey_is_drawn_in_order_from_the_start()
    {
        var start = NodeLabelled("start");
        var browsing = NodeLabelled("stage browsing");
        var cart = NodeLabelled("stage cart");
        var after = NodeLabelled("stage after_purchase");

        Assert.Contains("welcome: こんにちは！", start.Label, StringComparison.Ordinal);
        EdgeBetween(start, browsing);
        Assert.Equal("next", EdgeBetween(browsing, cart).Label);
        Assert.Equal("next", EdgeBetween(cart, after).Label);
        Assert.Equal("enters", EdgeBetween(NodeLabelled("event cart_updated"), cart).Label);
    }

    [Fact]
    public void A_proactive_rule_hangs_off_its_stage_and_starts_its_flow()
    {
        var rule = NodeLabelled("proactive dwell-help");

        Assert.Contains("cap: once per conversation", rule.Label, StringComparison.Ordinal);
        Assert.Equal("on page_dwell (event.seconds >= 30)", EdgeBetween(NodeLabelled("stage browsing"), rule).Label);
        EdgeBetween(rule, NodeLabelled("say: サイズ表はこちらです。"));
    }

    [Fact]
    public void A_flow_is_a_cluster_entered_from_its_intent()
    {
        var ask = NodeLabelled("ask order.number");

        Assert.Equal(NodeShape.Ask, ask.Shape);
        Assert.Contains(Graph.Clusters, c => c.Id == ask.Cluster && c.Label == "flow order_status");
        EdgeBetween(NodeLabelled("intent order_status"), ask);
        Assert.Contains("expect pattern ^[0-9]{8}$", ask.Label, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ask_that_fails_hands_off_and_does_not_continue_the_flow()
    {
        var ask = NodeLabelled("ask order.number");
        var handoff = NodeLabelled("handoff → support");

        Assert.Equal("fails 3×", EdgeBetween(ask, handoff).Label);
        Assert.Equal(NodeShape.Queue, Graph.Nodes.Single(n => n.Id == Assert.Single(Graph.Edges, e => e.From == handoff.Id).To).Shape);
    }

    [Fact]
    public void A_call_error_branch_rejoins_the_flow()
    {
        var call = NodeLabelled("call lookupOrder → order.status");
        var onError = NodeLabelled("say: ただいま確認できません。");
        var branch = NodeLabelled("if order.status == null");

        Assert.Equal("error", EdgeBetween(call, onError).Label);
        EdgeBetween(call, branch);
        EdgeBetween(onError, branch);
    }

    [Fact]
    public void If_then_and_else_both_continue_to_the_next_step()
    {
        var branch = NodeLabelled("if order.status == null");
        var then = NodeLabelled("say: 見つかりませんでした");
        var gotoStage = NodeLabelled("goto stage after_purchase");
        var gotoFlow = NodeLabelled("goto flow anything_else");

        Assert.Equal(NodeShape.Decision, branch.Shape);
        Assert.Equal("then", EdgeBetween(branch, then).Label);
        Assert.Equal("else", EdgeBetween(branch, NodeLabelled("say: ご注文は")).Label);
        EdgeBetween(then, gotoFlow);
        EdgeBetween(gotoStage, gotoFlow);
        Assert.Equal("stage", EdgeBetween(gotoStage, NodeLabelled("stage after_purchase")).Label);
    }

    [Fact]
    public void Goto_flow_continues_in_the_target_flow_and_ends_the_current_one()
    {
        var gotoFlow = NodeLabelled("goto flow anything_else");
        var edge = Assert.Single(Graph.Edges, e => e.From == gotoFlow.Id);

        Assert.Equal(NodeLabelled("set cart.total = 0").Id, edge.To);
        Assert.Equal("continue in", edge.Label);
        Assert.Empty(Graph.Edges.Where(e => e.From == NodeLabelled("end: ほかにご用件はありますか？").Id));
    }

    [Fact]
    public void Handoff_rules_are_chained_in_order_to_their_queues()
    {
        var first = NodeLabelled("rule asked-for-human");
        var second = NodeLabelled("rule misunderstood-twice");
        var queue = NodeLabelled("queue support");

        Assert.Contains("intent human", first.Label, StringComparison.Ordinal);
        Assert.Equal("no match", EdgeBetween(first, second).Label);
        Assert.Equal("offer chat, callback", EdgeBetween(second, queue).Label);
        Assert.Contains("Mon-Fri 09:00-18:00 Asia/Tokyo", queue.Label, StringComparison.Ordinal);
        Assert.Equal("closed", EdgeBetween(queue, NodeLabelled("out of hours")).Label);
        Assert.Contains("order.number, total = cart.total", NodeLabelled("shared with the agent").Label, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_texts_are_cut_between_characters()
    {
        var text = string.Concat(Enumerable.Repeat("👨‍👩‍👧", 60));

        var shortened = FlowGraphBuilder.Shorten(text);

        Assert.EndsWith("👨‍👩‍👧…", shortened, StringComparison.Ordinal);
        Assert.Equal(48, new System.Globalization.StringInfo(shortened).LengthInTextElements);
    }

    [Fact]
    public void The_same_model_gives_the_same_graph()
    {
        var again = FlowGraphBuilder.Build(TestModels.Shop());

        Assert.Equal(MermaidWriter.Write(Graph), MermaidWriter.Write(again));
    }

    [Fact]
    public void A_queue_calendar_and_its_own_out_of_hours_answer_are_drawn()
    {
        var shop = TestModels.Shop();
        var queue = shop.Handoff.Queues[0] with
        {
            Closed = [new Model.ClosedDates(new DateOnly(2000, 12, 29), new DateOnly(2000, 1, 3), EveryYear: true)],
            OutOfHours = new Model.OutOfHours(null, ["callback"], Model.SourceSpan.None),
        };
        var graph = FlowGraphBuilder.Build(shop with { Handoff = shop.Handoff with { Queues = shop.Handoff.Queues.SetItem(0, queue) } });
        var node = Assert.Single(graph.Nodes, n => n.Label.StartsWith("queue " + queue.Name + "\n", StringComparison.Ordinal));
        Assert.EndsWith("\nclosed 12-29..01-03", node.Label, StringComparison.Ordinal);
        var own = Assert.Single(graph.Nodes, n => n.Label == "out of hours\noffer callback");
        Assert.Contains(graph.Edges, e => e.From == node.Id && e.To == own.Id && e.Label == "closed");
    }
}
