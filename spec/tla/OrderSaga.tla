----------------------------- MODULE OrderSaga -----------------------------
(***************************************************************************)
(* The order saga of docs/PROTOCOL.md over an at-least-once bus, as the    *)
(* reference system (system/) implements it, with the bug switches of      *)
(* /work/shared/DESIGN.md.  Names are those of vocab/: event types,        *)
(* services, statuses, bug switches; invariants are named after the        *)
(* domain anomaly they catch (the vocab.Anomaly... constants, by name).    *)
(*                                                                         *)
(* The model is deliberately small and explicit so that the Go model       *)
(* (model/) can mirror it variable for variable and action for action and  *)
(* be compared with TLC's state graph; spec/README.md lists every variable *)
(* and action in plain words.                                              *)
(*                                                                         *)
(* Abstractions (why they are sound for the properties, see README):       *)
(*  - One SKU ("s-1") and one customer ("c-1"); every order takes Qty of   *)
(*    the SKU and costs Amount.  The setup phase (restock, deposit) is the *)
(*    initial stock0 / bal0, chosen from StockInit / BalanceInit, so one   *)
(*    order already exercises reserve/reject and charge/decline.           *)
(*  - The transactional outbox and its relay are folded into the append:   *)
(*    an appended event is published at once.  The relay's redelivery      *)
(*    after a crash is a duplicate, which the Duplicate fault covers.      *)
(*  - The bus is, per consumer, the SET of event ids published to it and   *)
(*    not yet committed by it.  A consumer may take any of them (reorder), *)
(*    or none for a while (delay); a deferred (early) event simply stays   *)
(*    uncommitted on the bus until its predecessor is handled, which is    *)
(*    what "deferred, redelivered later" means.                            *)
(*  - A consumer is sent only the event types its core reacts to           *)
(*    (services.Reactors' Types; the projector: every order event).  The   *)
(*    system also delivers the other events of a topic and handles them    *)
(*    with no effect; those handlings only gate later versions, so the     *)
(*    model keeps version order among the events a consumer is sent.       *)
(*  - Handling an event (dedup record + effect + offset commit) is one     *)
(*    atomic step for inventory, payment, shipping and the projector: each *)
(*    is the only writer of its target stream here, so optimistic          *)
(*    concurrency never fails for them.  The orders consumer decides and   *)
(*    appends in two steps (OrdersDecide, OrdersAppend) because it races   *)
(*    with the cancel command on the order stream (the no-occ bug).        *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
    Orders,        \* order keys, e.g. {"o-1"}
    Bug,           \* one of Bugs: which DESIGN.md bug switch is on
    StockInit,     \* possible initial stocks of s-1 (setup-phase restocks)
    BalanceInit,   \* possible initial balances of c-1 (setup-phase deposits)
    Qty,           \* units of s-1 every order takes
    Amount,        \* price of every order
    MaxDup,        \* fault budget: redeliveries the nemesis may inject
    MaxCrash,      \* fault budget: crash-restarts
    MaxPartition,  \* fault budget: partition windows
    MaxRead        \* client budget: strong reads per order

Bugs == {"none", "no-dedup", "no-compensation", "no-occ", "stale-read",
         "ack-before-persist", "commit-before-process", "unordered-apply"}

ASSUME Bug \in Bugs
ASSUME Qty \in Nat \ {0} /\ Amount \in Nat \ {0}
ASSUME StockInit \subseteq Nat /\ BalanceInit \subseteq Nat
ASSUME {MaxDup, MaxCrash, MaxPartition, MaxRead} \subseteq Nat

(***************************************************************************)
(* Vocabulary (vocab/events.go).                                           *)
(***************************************************************************)
Consumers == {"orders", "inventory", "payment", "shipping", "projector"}

OrderEvents == {"OrderPlaced", "OrderReserved", "OrderRejected", "OrderCharged",
                "OrderDeclined", "OrderShipped", "OrderCompleted", "OrderCancelled"}
EventTypes == OrderEvents \cup
              {"StockReserved", "StockRejected", "StockReleased",
               "PaymentCharged", "PaymentDeclined", "PaymentRefunded",
               "ShipmentShipped"}

Statuses == {"none", "placed", "reserved", "charged", "shipped", "completed",
             "rejected", "declined", "cancelled"}
Terminal == {"completed", "rejected", "declined", "cancelled"}
Cancellable == {"placed", "reserved"}

\* vocab.StatusOf for the order events.
StatusOf(t) ==
    CASE t = "OrderPlaced"    -> "placed"
      [] t = "OrderReserved"  -> "reserved"
      [] t = "OrderRejected"  -> "rejected"
      [] t = "OrderCharged"   -> "charged"
      [] t = "OrderDeclined"  -> "declined"
      [] t = "OrderShipped"   -> "shipped"
      [] t = "OrderCompleted" -> "completed"
      [] t = "OrderCancelled" -> "cancelled"

\* The event types each service's core reacts to (services.Reactors' Types;
\* the projector projects every order event).  A service also consumes the
\* other events of its topics (vocab.Subscriptions) but handles them with no
\* effect; the model leaves those no-op handlings out (see README,
\* "Abstractions"): a consumer is sent only the events it reacts to, and
\* version order is kept among those.
Reacts(c) ==
    CASE c = "orders"    -> {"StockReserved", "StockRejected", "PaymentCharged",
                             "PaymentDeclined", "ShipmentShipped"}
      [] c = "inventory" -> {"OrderPlaced", "OrderDeclined", "OrderCancelled"}
      [] c = "payment"   -> {"OrderReserved", "OrderCancelled"}
      [] c = "shipping"  -> {"OrderCharged"}
      [] c = "projector" -> OrderEvents

\* The subscribers an event type is delivered to.
Subs(t) == {c \in Consumers : t \in Reacts(c)}

\* Streams (PROTOCOL.md "Keys and streams").
OrderStream(o) == "order-" \o o
ShipStream(o)  == "ship-" \o o
SkuStream      == "sku-s-1"
AcctStream     == "acct-c-1"

\* Statuses a reader may observe later than s: the saga's internal
\* transitions plus cancel (PROTOCOL.md), reflexive and transitive.
Reach(s) ==
    CASE s = "none"      -> Statuses
      [] s = "placed"    -> Statuses \ {"none"}
      [] s = "reserved"  -> {"reserved", "charged", "shipped", "completed",
                             "declined", "cancelled"}
      [] s = "charged"   -> {"charged", "shipped", "completed"}
      [] s = "shipped"   -> {"shipped", "completed"}
      [] OTHER           -> {s}

(***************************************************************************)
(* State.                                                                  *)
(***************************************************************************)
VARIABLES
    \* --- durable: the event store ---------------------------------------
    log,         \* Seq of events; an event's id is its position (store "ev-N")
    handled,     \* consumer -> set of event ids handled (dedup records; the
                 \* store's "applied" versions are derived from it: Before)
    projection,  \* order -> status in the read model (projector's table)
    stock0,      \* initial stock of s-1 (setup phase), never changes
    bal0,        \* initial balance of c-1 (setup phase), never changes
    \* --- durable: the bus ----------------------------------------------
    bus,         \* consumer -> set of event ids published, not committed
    parted,      \* set of consumers partitioned from the bus
    \* --- volatile: lost by a crash of the orders node --------------------
    ordersWork,  \* the orders consumer's decided, not yet appended reaction
    wb,          \* ack-before-persist: acknowledged places not yet written
    \* --- clients ---------------------------------------------------------
    placeOp,     \* order -> "idle" | "ok"   (the place command's outcome)
    cancelOp,    \* order -> "idle" | "pending" | "ok" | "fail" | "info"
    cancelVer,   \* order -> stream version the pending cancel decided on
    readObs,     \* order -> [floor, got]: the last strong read's result and
                 \* the status the client knew when it issued it
    readsLeft,   \* order -> strong reads the client may still issue
    \* --- fault budgets -------------------------------------------------
    dupLeft, crashLeft, partLeft

vars == <<log, handled, projection, stock0, bal0, bus, parted, ordersWork, wb,
          placeOp, cancelOp, cancelVer, readObs, readsLeft,
          dupLeft, crashLeft, partLeft>>

\* An event: id = position in log; agg = stream; ver = version in the stream;
\* order = correlation (the order key); n = qty or amount (0 if none);
\* cause = causation event id (0 for a client command); batch = id of the
\* first event of the append it came with (one append = one effect).
Event == [id: Nat, agg: STRING, ver: Nat, type: EventTypes, order: Orders,
          n: Nat, cause: Nat, batch: Nat]
Emit == [type: EventTypes, order: Orders, n: Nat]
NoWork == [id |-> 0, ver |-> 0, emits |-> <<>>]

(***************************************************************************)
(* Derived state: what a service reads back from the event store.          *)
(***************************************************************************)
Idx(P(_)) == {i \in DOMAIN log : P(log[i])}

RECURSIVE SumN(_)
SumN(S) == IF S = {} THEN 0
           ELSE LET i == CHOOSE x \in S : TRUE IN log[i].n + SumN(S \ {i})

Max(S) == CHOOSE x \in S : \A y \in S : y <= x

\* Current version of a stream (0 = empty).
Ver(s) == Cardinality(Idx(LAMBDA e : e.agg = s))

\* An order's status from its stream: the last order event's status.
Status(o) ==
    LET is == Idx(LAMBDA e : e.agg = OrderStream(o))
    IN  IF is = {} THEN "none" ELSE StatusOf(log[Max(is)].type)

Placed(o) == \E i \in DOMAIN log : log[i].agg = OrderStream(o)

SumOf(t) == SumN(Idx(LAMBDA e : e.type = t))
SumFor(t, o) == SumN(Idx(LAMBDA e : e.type = t /\ e.order = o))

Stock       == stock0 + SumOf("StockReleased") - SumOf("StockReserved")
Reserved(o) == SumFor("StockReserved", o) - SumFor("StockReleased", o)
Balance     == bal0 + SumOf("PaymentRefunded") - SumOf("PaymentCharged")
Charged(o)  == SumFor("PaymentCharged", o) - SumFor("PaymentRefunded", o)

\* The events of id's stream before it that consumer c reacts to.  The
\* store's "applied" version of the stream for c is the highest version c
\* handled; in version order, c has handled all of Before(c, id) exactly
\* when id's version is at most applied + 1 (counting only the events c is
\* sent).
Before(c, id) ==
    {j \in DOMAIN log : /\ log[j].agg = log[id].agg
                        /\ log[j].ver < log[id].ver
                        /\ log[j].type \in Reacts(c)}

(***************************************************************************)
(* The services' pure cores (system/services/*.go): event -> emits.        *)
(***************************************************************************)
Em(t, o, n) == [type |-> t, order |-> o, n |-> n]

InventoryReact(e) ==
    CASE e.type = "OrderPlaced" ->
            IF Stock >= Qty THEN << Em("StockReserved", e.order, Qty) >>
                            ELSE << Em("StockRejected", e.order, Qty) >>
      [] e.type = "OrderDeclined" /\ Bug = "no-compensation" -> << >>
      [] e.type \in {"OrderDeclined", "OrderCancelled"} ->
            IF Reserved(e.order) > 0
            THEN << Em("StockReleased", e.order, Reserved(e.order)) >>
            ELSE << >>
      [] OTHER -> << >>

PaymentReact(e) ==
    CASE e.type = "OrderReserved" ->
            IF Balance >= Amount THEN << Em("PaymentCharged", e.order, Amount) >>
                                 ELSE << Em("PaymentDeclined", e.order, Amount) >>
      [] e.type = "OrderCancelled" ->
            IF Charged(e.order) > 0
            THEN << Em("PaymentRefunded", e.order, Charged(e.order)) >>
            ELSE << >>
      [] OTHER -> << >>

ShippingReact(e) ==
    IF e.type = "OrderCharged" THEN << Em("ShipmentShipped", e.order, 0) >> ELSE << >>

\* services.OrdersReact: the saga's next step, or nothing when the event does
\* not fit the order's status s.
OrdersReact(e, s) ==
    LET o == e.order IN
    CASE e.type = "StockReserved"   /\ s = "placed"   -> << Em("OrderReserved", o, 0) >>
      [] e.type = "StockRejected"   /\ s = "placed"   -> << Em("OrderRejected", o, 0) >>
      [] e.type = "PaymentCharged"  /\ s = "reserved" -> << Em("OrderCharged", o, 0) >>
      [] e.type = "PaymentDeclined" /\ s = "reserved" -> << Em("OrderDeclined", o, 0) >>
      [] e.type = "ShipmentShipped" /\ s = "charged"  ->
            << Em("OrderShipped", o, 0), Em("OrderCompleted", o, 0) >>
      [] OTHER -> << >>

\* The stream a consumer's reaction to e is appended to.
Target(c, e) ==
    CASE c = "inventory" -> SkuStream
      [] c = "payment"   -> AcctStream
      [] c = "shipping"  -> ShipStream(e.order)
      [] OTHER           -> OrderStream(e.order)

(***************************************************************************)
(* Store append (atomic) + publish (outbox folded in).                     *)
(***************************************************************************)
\* The events an append of emits to stream s caused by cause would create.
NewEvents(s, emits, cause) ==
    [i \in 1..Len(emits) |->
        [id |-> Len(log) + i, agg |-> s, ver |-> Ver(s) + i,
         type |-> emits[i].type, order |-> emits[i].order, n |-> emits[i].n,
         cause |-> cause, batch |-> Len(log) + 1]]

\* bus b with the new events evs published to their subscribers.
Publish(b, evs) ==
    [c \in Consumers |->
        b[c] \cup {evs[i].id : i \in {j \in 1..Len(evs) : c \in Subs(evs[j].type)}}]

Drop(b, c, id) == [b EXCEPT ![c] = @ \ {id}]

\* Dedup (PROTOCOL.md "Consumers"): handled before = duplicate, skipped.
IsDup(c, id) == Bug # "no-dedup" /\ id \in handled[c]
\* Version order: an event whose predecessor is not handled waits.
InOrder(c, id) == Bug = "unordered-apply" \/ Before(c, id) \subseteq handled[c]

Known(o) == \* the latest status the client itself knows of
    IF cancelOp[o] = "ok" THEN "cancelled"
    ELSE IF readsLeft[o] < MaxRead THEN readObs[o].got
    ELSE "placed"

(***************************************************************************)
(* Client commands (served by the orders node).                            *)
(***************************************************************************)
\* place: decide on the (empty) stream, append OrderPlaced, acknowledge.
\* ack-before-persist: acknowledge first, write later (Flush).
Place(o) ==
    /\ placeOp[o] = "idle"
    /\ placeOp' = [placeOp EXCEPT ![o] = "ok"]
    /\ IF Bug = "ack-before-persist"
       THEN /\ wb' = wb \cup {o}
            /\ UNCHANGED <<log, bus>>
       ELSE LET evs == NewEvents(OrderStream(o), << Em("OrderPlaced", o, Qty) >>, 0)
            IN  /\ log' = log \o evs
                /\ bus' = Publish(bus, evs)
                /\ UNCHANGED wb
    /\ UNCHANGED <<handled, projection, stock0, bal0, parted, ordersWork,
                   cancelOp, cancelVer, readObs, readsLeft, dupLeft, crashLeft, partLeft>>

\* ack-before-persist: the write-behind buffer reaches the store.
Flush(o) ==
    /\ o \in wb
    /\ LET evs == NewEvents(OrderStream(o), << Em("OrderPlaced", o, Qty) >>, 0)
       IN  /\ log' = log \o evs
           /\ bus' = Publish(bus, evs)
    /\ wb' = wb \ {o}
    /\ UNCHANGED <<handled, projection, stock0, bal0, parted, ordersWork,
                   placeOp, cancelOp, cancelVer, readObs, readsLeft,
                   dupLeft, crashLeft, partLeft>>

\* cancel, first half: read the order, decide.  Not found / not cancellable
\* fails at once; otherwise remember the version decided on.
CancelDecide(o) ==
    /\ placeOp[o] = "ok"            \* the client cancels orders it placed
    /\ cancelOp[o] = "idle"
    /\ IF Status(o) \in Cancellable
       THEN /\ cancelOp' = [cancelOp EXCEPT ![o] = "pending"]
            /\ cancelVer' = [cancelVer EXCEPT ![o] = Ver(OrderStream(o))]
       ELSE /\ cancelOp' = [cancelOp EXCEPT ![o] = "fail"]
            /\ UNCHANGED cancelVer
    /\ UNCHANGED <<log, handled, projection, stock0, bal0, bus, parted,
                   ordersWork, wb, placeOp, readObs, readsLeft,
                   dupLeft, crashLeft, partLeft>>

\* cancel, second half: append OrderCancelled with the expected version.  On
\* a conflict the command starts over at once (decides on the new state).
\* no-occ: the expected version is not checked.
CancelAppend(o) ==
    /\ cancelOp[o] = "pending"
    /\ IF Bug = "no-occ" \/ Ver(OrderStream(o)) = cancelVer[o]
       THEN LET evs == NewEvents(OrderStream(o), << Em("OrderCancelled", o, 0) >>, 0)
            IN  /\ log' = log \o evs
                /\ bus' = Publish(bus, evs)
                /\ cancelOp' = [cancelOp EXCEPT ![o] = "ok"]
                /\ cancelVer' = [cancelVer EXCEPT ![o] = 0]
       ELSE /\ UNCHANGED <<log, bus>>
            /\ IF Status(o) \in Cancellable
               THEN /\ cancelVer' = [cancelVer EXCEPT ![o] = Ver(OrderStream(o))]
                    /\ UNCHANGED cancelOp
               ELSE /\ cancelOp' = [cancelOp EXCEPT ![o] = "fail"]
                    /\ cancelVer' = [cancelVer EXCEPT ![o] = 0]
    /\ UNCHANGED <<handled, projection, stock0, bal0, parted, ordersWork, wb,
                   placeOp, readObs, readsLeft, dupLeft, crashLeft, partLeft>>

\* read-strong: the order's status from the event store (stale-read: from
\* the projection).  Only after the place was acknowledged, MaxRead times.
ReadStrong(o) ==
    /\ placeOp[o] = "ok"
    /\ readsLeft[o] > 0
    /\ readObs' = [readObs EXCEPT ![o] =
                     [floor |-> Known(o),
                      got   |-> IF Bug = "stale-read" THEN projection[o] ELSE Status(o)]]
    /\ readsLeft' = [readsLeft EXCEPT ![o] = @ - 1]
    /\ UNCHANGED <<log, handled, projection, stock0, bal0, bus, parted,
                   ordersWork, wb, placeOp, cancelOp, cancelVer,
                   dupLeft, crashLeft, partLeft>>

(***************************************************************************)
(* Consumers.                                                              *)
(***************************************************************************)
\* inventory, payment, shipping, projector take event id off the bus and
\* handle it in one atomic step: duplicate -> skip and commit; early ->
\* not enabled (stays on the bus, deferred); otherwise apply the effect with
\* the dedup record and commit.
DeliverEv(c, id) ==
    /\ c # "orders"
    /\ c \notin parted
    /\ id \in bus[c]
    /\ IF IsDup(c, id)
       THEN /\ bus' = Drop(bus, c, id)
            /\ UNCHANGED <<log, handled, projection>>
       ELSE /\ InOrder(c, id)
            /\ handled' = [handled EXCEPT ![c] = @ \cup {id}]
            /\ LET e == log[id] IN
               IF c = "projector"
               THEN /\ projection' = [projection EXCEPT ![e.order] = StatusOf(e.type)]
                    /\ bus' = Drop(bus, c, id)
                    /\ UNCHANGED log
               ELSE LET emits == CASE c = "inventory" -> InventoryReact(e)
                                   [] c = "payment"   -> PaymentReact(e)
                                   [] OTHER           -> ShippingReact(e)
                        evs == NewEvents(Target(c, e), emits, id)
                    IN  /\ log' = log \o evs
                        /\ bus' = Publish(Drop(bus, c, id), evs)
                        /\ UNCHANGED projection
    /\ UNCHANGED <<stock0, bal0, parted, ordersWork, wb, placeOp, cancelOp,
                   cancelVer, readObs, readsLeft, dupLeft, crashLeft, partLeft>>

\* The orders consumer, first half: take id off the bus and decide on the
\* order's current state.  A duplicate, or a reaction with no effect, is
\* finished at once; an effect waits in ordersWork for the append.  One
\* delivery at a time (the slot ordersWork).
OrdersDecideEv(id) ==
    /\ "orders" \notin parted
    /\ ordersWork = NoWork
    /\ id \in bus["orders"]
    /\ IF IsDup("orders", id)
       THEN /\ bus' = Drop(bus, "orders", id)
            /\ UNCHANGED <<handled, ordersWork>>
       ELSE /\ InOrder("orders", id)
            /\ LET e == log[id]
                   emits == OrdersReact(e, Status(e.order))
               IN  IF emits = << >>
                   THEN /\ handled' = [handled EXCEPT !["orders"] = @ \cup {id}]
                        /\ bus' = Drop(bus, "orders", id)
                        /\ UNCHANGED ordersWork
                   ELSE /\ ordersWork' = [id |-> id, ver |-> Ver(OrderStream(e.order)),
                                          emits |-> emits]
                        /\ UNCHANGED <<handled, bus>>
    /\ UNCHANGED <<log, projection, stock0, bal0, parted, wb, placeOp, cancelOp,
                   cancelVer, readObs, readsLeft, dupLeft, crashLeft, partLeft>>

\* The orders consumer, second half: append the decided reaction with the
\* expected version, atomically with the dedup record, and commit.  On a
\* conflict drop the decision; the event is still on the bus and is decided
\* again.  no-occ: the expected version is not checked.
OrdersAppend ==
    /\ ordersWork # NoWork
    /\ LET w == ordersWork
           o == log[w.id].order
       IN  IF Bug = "no-occ" \/ Ver(OrderStream(o)) = w.ver
           THEN LET evs == NewEvents(OrderStream(o), w.emits, w.id)
                IN  /\ log' = log \o evs
                    /\ handled' = [handled EXCEPT !["orders"] = @ \cup {w.id}]
                    /\ bus' = Publish(Drop(bus, "orders", w.id), evs)
           ELSE UNCHANGED <<log, handled, bus>>
    /\ ordersWork' = NoWork
    /\ UNCHANGED <<projection, stock0, bal0, parted, wb, placeOp, cancelOp,
                   cancelVer, readObs, readsLeft, dupLeft, crashLeft, partLeft>>

(***************************************************************************)
(* Faults (bounded by budgets; once spent, faults stop).                   *)
(***************************************************************************)
\* Redeliver an event already taken (and committed) by a subscriber: the
\* nemesis's duplicate, or the relay republishing after a crash.
DuplicateEv(c, id) ==
    /\ dupLeft > 0
    /\ id \in DOMAIN log
    /\ c \in Subs(log[id].type)
    /\ id \notin bus[c]
    /\ bus' = [bus EXCEPT ![c] = @ \cup {id}]
    /\ dupLeft' = dupLeft - 1
    /\ UNCHANGED <<log, handled, projection, stock0, bal0, parted, ordersWork, wb,
                   placeOp, cancelOp, cancelVer, readObs, readsLeft,
                   crashLeft, partLeft>>

Partition(c) ==
    /\ partLeft > 0
    /\ c \notin parted
    /\ parted' = parted \cup {c}
    /\ partLeft' = partLeft - 1
    /\ UNCHANGED <<log, handled, projection, stock0, bal0, bus, ordersWork, wb,
                   placeOp, cancelOp, cancelVer, readObs, readsLeft,
                   dupLeft, crashLeft>>

\* The end of a partition window (a recovery, not a fault: it is fair).
Heal(c) ==
    /\ c \in parted
    /\ parted' = parted \ {c}
    /\ UNCHANGED <<log, handled, projection, stock0, bal0, bus, ordersWork, wb,
                   placeOp, cancelOp, cancelVer, readObs, readsLeft,
                   dupLeft, crashLeft, partLeft>>

\* Crash-restart of the orders node: its volatile state is gone (the
\* decided reaction, the write-behind buffer, pending cancels, which become
\* "info" for their clients); the event it was handling is uncommitted and
\* stays on the bus -- except with commit-before-process, which committed it
\* on receipt.  Only generated when the node has volatile state: otherwise
\* a crash-restart changes nothing but the budget.
CrashOrders ==
    /\ crashLeft > 0
    /\ ordersWork # NoWork \/ wb # {} \/ \E o \in Orders : cancelOp[o] = "pending"
    /\ crashLeft' = crashLeft - 1
    /\ ordersWork' = NoWork
    /\ wb' = {}
    /\ cancelOp' = [o \in Orders |-> IF cancelOp[o] = "pending" THEN "info" ELSE cancelOp[o]]
    /\ cancelVer' = [o \in Orders |-> 0]
    /\ bus' = IF Bug = "commit-before-process" /\ ordersWork # NoWork
              THEN Drop(bus, "orders", ordersWork.id)
              ELSE bus
    /\ UNCHANGED <<log, handled, projection, stock0, bal0, parted, placeOp,
                   readObs, readsLeft, dupLeft, partLeft>>

\* commit-before-process: consumer c received id and committed its offset,
\* then crashed before handling it: the event is gone for c.  (Without the
\* bug the same crash leaves id uncommitted on the bus: a no-op here.)
CrashAfterCommitEv(c, id) ==
    /\ Bug = "commit-before-process"
    /\ crashLeft > 0
    /\ c \notin parted
    /\ id \in bus[c]
    /\ c = "orders" => ordersWork = NoWork
    /\ bus' = Drop(bus, c, id)
    /\ crashLeft' = crashLeft - 1
    /\ cancelOp' = IF c = "orders"
                   THEN [o \in Orders |-> IF cancelOp[o] = "pending" THEN "info" ELSE cancelOp[o]]
                   ELSE cancelOp
    /\ cancelVer' = IF c = "orders" THEN [o \in Orders |-> 0] ELSE cancelVer
    /\ wb' = IF c = "orders" THEN {} ELSE wb
    /\ UNCHANGED <<log, handled, projection, stock0, bal0, parted, ordersWork,
                   placeOp, readObs, readsLeft, dupLeft, partLeft>>

(***************************************************************************)
(* Quiescence and the end.                                                 *)
(***************************************************************************)
\* Some consumer could still handle something (partitions aside: they heal).
Deliverable == \E c \in Consumers : \E id \in bus[c] : IsDup(c, id) \/ InOrder(c, id)

\* Quiet: no event can be handled any more and no command or reaction is
\* half done.  (An event left on the bus whose predecessor was lost can never
\* be handled: it is stuck, not in flight.)  Without bugs Quiet implies an
\* empty bus.
Quiet ==
    /\ ~Deliverable
    /\ ordersWork = NoWork
    /\ wb = {}
    /\ \A o \in Orders : cancelOp[o] # "pending"

\* The run is over: every order was placed and the system is quiet.  A
\* self-loop, so that finished runs are not deadlocks; any other state
\* without a successor is a deadlock.
Done ==
    /\ Quiet
    /\ \A o \in Orders : placeOp[o] = "ok"
    /\ UNCHANGED vars

(***************************************************************************)
(* The specification.                                                      *)
(***************************************************************************)
Init ==
    /\ log = << >>
    /\ handled = [c \in Consumers |-> {}]
    /\ projection = [o \in Orders |-> "none"]
    /\ stock0 \in StockInit
    /\ bal0 \in BalanceInit
    /\ bus = [c \in Consumers |-> {}]
    /\ parted = {}
    /\ ordersWork = NoWork
    /\ wb = {}
    /\ placeOp = [o \in Orders |-> "idle"]
    /\ cancelOp = [o \in Orders |-> "idle"]
    /\ cancelVer = [o \in Orders |-> 0]
    /\ readObs = [o \in Orders |-> [floor |-> "none", got |-> "none"]]
    /\ readsLeft = [o \in Orders |-> MaxRead]
    /\ dupLeft = MaxDup
    /\ crashLeft = MaxCrash
    /\ partLeft = MaxPartition

\* One action per message taken: TLC names an action after the operator it
\* cannot split further, and it does not split an \E over a domain that
\* depends on the state (DOMAIN log); these wrappers give the steps their
\* protocol names (Deliver, OrdersDecide, Duplicate, CrashAfterCommit) in
\* traces and in -dump dot,actionlabels.
Deliver          == \E c \in Consumers, id \in DOMAIN log : DeliverEv(c, id)
OrdersDecide     == \E id \in DOMAIN log : OrdersDecideEv(id)
Duplicate        == \E c \in Consumers, id \in DOMAIN log : DuplicateEv(c, id)
CrashAfterCommit == \E c \in Consumers, id \in DOMAIN log : CrashAfterCommitEv(c, id)

\* The system's own steps: consumers, the orders append, the write-behind
\* flush, the second half of a cancel, and healing a partition (the end of
\* a fault window: the workload's final phase heals every fault).
SystemNext ==
    \/ Deliver
    \/ OrdersDecide
    \/ OrdersAppend
    \/ \E o \in Orders : Flush(o) \/ CancelAppend(o)
    \/ \E c \in Consumers : Heal(c)
\* The clients' invocations (never forced to happen).
ClientNext ==
    \E o \in Orders : Place(o) \/ CancelDecide(o) \/ ReadStrong(o)
\* The nemesis (never forced; its budgets make it stop).
FaultNext ==
    \/ Duplicate
    \/ CrashAfterCommit
    \/ \E c \in Consumers : Partition(c)
    \/ CrashOrders

\* (The order of the disjuncts means nothing to the semantics; it only
\* decides which of several equally short counterexamples TLC reports
\* first.  Faults before clients makes ack-before-persist's first report
\* the lost command rather than the read of "none" that follows it.)
Next == SystemNext \/ FaultNext \/ ClientNext \/ Done

\* Fairness: weak fairness of the system's steps (SystemNext), none for
\* clients and faults.  Every behaviour has finitely many non-stuttering
\* steps (budgets bound faults, reads, commands; each delivery consumes a
\* bus entry; appends only follow deliveries and commands), so weak fairness
\* of the disjunction has the same fair behaviours as weak fairness of each
\* system action: both say a behaviour may only stop in a state where no
\* system step is enabled.  One WF conjunct keeps TLC's liveness check cheap.
Fairness == WF_vars(SystemNext)

Spec == Init /\ [][Next]_vars /\ Fairness

(***************************************************************************)
(* Properties, one per domain anomaly (vocab.Anomaly... constants).        *)
(***************************************************************************)
TypeOK ==
    \* (log \in Seq(Event), checked element by element: cheaper for TLC)
    /\ \A i \in DOMAIN log : /\ log[i].id = i
                             /\ log[i].type \in EventTypes
                             /\ log[i].order \in Orders
                             /\ log[i].ver \in 1..i
                             /\ log[i].cause \in 0..(i - 1)
                             /\ log[i].batch \in 1..i
    /\ handled \in [Consumers -> SUBSET DOMAIN log]
    /\ bus \in [Consumers -> SUBSET DOMAIN log]
    /\ projection \in [Orders -> Statuses]
    /\ parted \subseteq Consumers
    /\ ordersWork = NoWork \/ ordersWork.id \in DOMAIN log
    /\ wb \subseteq Orders
    /\ placeOp \in [Orders -> {"idle", "ok"}]
    /\ cancelOp \in [Orders -> {"idle", "pending", "ok", "fail", "info"}]
    /\ readObs \in [Orders -> [floor: Statuses, got: Statuses]]
    /\ readsLeft \in [Orders -> 0..MaxRead]
    /\ dupLeft \in 0..MaxDup /\ crashLeft \in 0..MaxCrash /\ partLeft \in 0..MaxPartition

\* duplicate-effect: one consumer never appends two effects for one event:
\* two stored events with the same cause on the same stream came with one
\* append.  (no-dedup)
NoDuplicateEffect ==
    \A i, j \in DOMAIN log :
        (i < j /\ log[i].cause > 0 /\ log[i].cause = log[j].cause
               /\ log[i].agg = log[j].agg) => log[i].batch = log[j].batch

AllPlacedTerminal == \A o \in Orders : Placed(o) => Status(o) \in Terminal
Completed == {o \in Orders : Status(o) = "completed"}

\* inventory-leak: once every saga has ended and the system is quiet, the
\* stock is the initial stock minus what completed orders took.  (no-compensation)
StockConserved ==
    (Quiet /\ AllPlacedTerminal) => Stock = stock0 - Qty * Cardinality(Completed)

\* money-leak: likewise for the balance.
MoneyConserved ==
    (Quiet /\ AllPlacedTerminal) => Balance = bal0 - Amount * Cardinality(Completed)

\* conflicting-terminal: nothing follows a terminal event in an order stream
\* (e.g. cancelled and completed).  (no-occ)
NoConflictingTerminal ==
    \A i, j \in DOMAIN log :
        (i < j /\ log[i].agg = log[j].agg /\ log[i].type \in OrderEvents
               /\ StatusOf(log[i].type) \in Terminal) => FALSE

\* lost-command: an acknowledged command is in the store (or, for an
\* acknowledged place, still about to be written).  (ack-before-persist)
NoLostCommand ==
    \A o \in Orders :
        /\ placeOp[o] = "ok" => (Placed(o) \/ o \in wb)
        /\ cancelOp[o] = "ok" =>
              \E i \in DOMAIN log : log[i].agg = OrderStream(o) /\ log[i].type = "OrderCancelled"

\* lost-event: when quiet, every stored event was handled by every
\* subscriber of its topic.  Stated on Quiet states because before that an
\* event may legitimately still be in flight.  (commit-before-process)
NoLostEvent ==
    Quiet => \A i \in DOMAIN log : \A c \in Subs(log[i].type) : i \in handled[c]

\* causal-violation: a consumer applies an event of a stream only after it
\* handled every earlier event of that stream it is sent (version order).
\* (unordered-apply)
CausalOrder ==
    \A c \in Consumers : \A i \in handled[c] : Before(c, i) \subseteq handled[c]

\* nonlinearizable: a strong read returns a status the order can have
\* reached from what the client already knew when it read (acknowledged
\* place => not none; acknowledged cancel => cancelled; never backwards
\* from an earlier read).  (stale-read; also no-occ, ack-before-persist)
LinearizableRead ==
    \A o \in Orders : readObs[o].got \in Reach(readObs[o].floor)

\* saga-stuck (safety form): when quiet, every placed order is terminal.
NoStuckSaga == Quiet => AllPlacedTerminal

\* projection-diverged: when quiet, the read model agrees with the store.
ProjectionConverged == Quiet => \A o \in Orders : projection[o] = Status(o)

\* saga-stuck (liveness): every placed order eventually ends.  Checked under
\* Fairness; faults are finite because of their budgets.  (commit-before-process)
EventuallyTerminal == \A o \in Orders : Placed(o) ~> (Status(o) \in Terminal)

=============================================================================
