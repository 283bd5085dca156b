--------------------------- MODULE OrderSagaTrace ---------------------------
(***************************************************************************)
(* Trace validation of one order's projected trace against OrderSaga (the  *)
(* pattern of etcd-io/raft's and CCF's trace specs): the trace is read     *)
(* from the ndjson file named by the environment variable TRACE_FILE       *)
(* (written by checker/tracemodel: a header line with the model's         *)
(* constants, then one step per line); l is the index of the next step to *)
(* match; each logged step is the OrderSaga action it names and must       *)
(* append exactly the logged events; between logged steps the model may   *)
(* take the unlogged steps of checker/tracemodel/doc.go.  The trace is    *)
(* accepted when a state with l = Len(Trace) + 1 is reachable: TLC then   *)
(* reports the invariant TraceNotConsumed violated.                       *)
(***************************************************************************)
EXTENDS OrderSaga, Integers, Sequences, IOUtils, Json

Lines  == ndJsonDeserialize(IOEnv.TRACE_FILE)
Header == Lines[1]
Trace  == [i \in 1..(Len(Lines) - 1) |-> Lines[i + 1]]

SetOf(s) == {s[i] : i \in DOMAIN s}

\* The constants of OrderSaga, from the header (OrderSagaTrace.cfg: Orders <- TraceOrders, ...).
TraceOrders      == {Header.order}
TraceBug         == Header.bug
TraceStockInit   == SetOf(Header.stock_init)
TraceBalanceInit == SetOf(Header.balance_init)
TraceQty         == Header.qty
TraceAmount      == Header.amount
TraceMaxDup      == Header.max_dup
TraceMaxCrash    == Header.max_crash
TraceMaxRead     == Header.max_read

O == Header.order

VARIABLES l, pending
tvars == <<vars, l, pending>>

Obs == Trace[l]

\* The status each read returned, by read number.
ReadNums == {Trace[i].read : i \in {j \in DOMAIN Trace : Trace[j].kind = "read-open"}}
ReadGot  == [n \in ReadNums |->
               Trace[CHOOSE i \in DOMAIN Trace : Trace[i].kind = "read-open" /\ Trace[i].read = n].got]

\* log' is log plus exactly the logged events (n < 0: not compared).
Delta(evs) ==
    /\ Len(log') = Len(log) + Len(evs)
    /\ \A i \in 1..Len(evs) :
          LET e == log'[Len(log) + i] IN
          /\ e.agg = evs[i].agg /\ e.ver = evs[i].ver /\ e.type = evs[i].type
          /\ e.cause = evs[i].cause /\ (evs[i].n < 0 \/ e.n = evs[i].n)

Others(v) == UNCHANGED <<log, handled, projection, v, bus, parted, ordersWork, wb,
                         placeOp, cancelOp, cancelVer, readObs, readsLeft,
                         dupLeft, crashLeft, partLeft>>

\* --- logged steps: l advances ---------------------------------------------
Handle ==
    LET c == Obs.consumer IN
    IF c # "orders" THEN DeliverEv(c, Obs.id) /\ Delta(Obs.events)
    ELSE IF Obs.events = << >>
         THEN OrdersDecideEv(Obs.id) /\ ordersWork' = NoWork /\ Delta(Obs.events)
         ELSE ordersWork.id = Obs.id /\ OrdersAppend /\ Delta(Obs.events)

Crash ==
    IF Obs.consumer = "orders" /\ ENABLED CrashOrders THEN CrashOrders ELSE UNCHANGED vars

Logged ==
    /\ l <= Len(Trace)
    /\ l' = l + 1
    /\ CASE Obs.kind = "place"  -> Place(O) /\ Delta(Obs.events) /\ UNCHANGED pending
         [] Obs.kind = "flush"  -> Flush(O) /\ Delta(Obs.events) /\ UNCHANGED pending
         [] Obs.kind = "cancel" -> CancelAppend(O) /\ Delta(Obs.events) /\ UNCHANGED pending
         [] Obs.kind = "handle" -> Handle /\ UNCHANGED pending
         [] Obs.kind = "crash"  -> Crash /\ UNCHANGED pending
         [] Obs.kind = "read-open"  -> pending' = pending \cup {Obs.read} /\ UNCHANGED vars
         [] Obs.kind = "read-close" -> Obs.read \notin pending /\ UNCHANGED <<vars, pending>>
         [] Obs.kind = "end" ->
               /\ pending = {}
               /\ LET blocked == {<<Obs.blocked[i].consumer, Obs.blocked[i].id>> : i \in DOMAIN Obs.blocked}
                      left(c) == bus[c] \ {id \in DOMAIN log : <<c, id>> \in blocked}
                  IN  /\ \A c \in Consumers : \A id \in left(c) : ~(IsDup(c, id) \/ InOrder(c, id))
                      /\ ordersWork = NoWork /\ wb = {} /\ cancelOp[O] # "pending"
               /\ UNCHANGED <<vars, pending>>

\* --- unlogged steps: l stays ---------------------------------------------
Decision == Obs.kind = "handle" /\ Obs.id \in DOMAIN log /\
            \/ Obs.consumer = "inventory" /\ log[Obs.id].type = "OrderPlaced"
            \/ Obs.consumer = "payment" /\ log[Obs.id].type = "OrderReserved"

Silent ==
    /\ UNCHANGED l
    /\ \/ Header.cancels /\ CancelDecide(O) /\ UNCHANGED pending
       \/ CancelAppend(O) /\ log' = log /\ UNCHANGED pending
       \/ \E id \in DOMAIN log : OrdersDecideEv(id) /\ ordersWork' # NoWork /\ UNCHANGED pending
       \/ OrdersAppend /\ log' = log /\ UNCHANGED pending
       \/ \E n \in pending : ReadStrong(O) /\ readObs'[O].got = ReadGot[n] /\ pending' = pending \ {n}
       \* before a handling: a redelivery, and the environment's move of the shared stock or balance
       \/ /\ l <= Len(Trace) /\ Obs.kind = "handle" /\ Obs.id \notin bus[Obs.consumer]
          /\ DuplicateEv(Obs.consumer, Obs.id) /\ UNCHANGED pending
       \/ /\ l <= Len(Trace) /\ Decision /\ Obs.consumer = "inventory"
          /\ stock0' \in StockInit /\ Others(bal0) /\ UNCHANGED pending
       \/ /\ l <= Len(Trace) /\ Decision /\ Obs.consumer = "payment"
          /\ bal0' \in BalanceInit /\ Others(stock0) /\ UNCHANGED pending
       \* a crash may lose deliveries in flight (commit-before-process)
       \/ /\ l <= Len(Trace) /\ Obs.kind = "crash"
          /\ \E i \in DOMAIN Obs.lost : CrashAfterCommitEv(Obs.consumer, Obs.lost[i])
          /\ UNCHANGED pending

TraceInit == Init /\ l = 1 /\ pending = {}
TraceNext == Logged \/ Silent
TraceSpec == TraceInit /\ [][TraceNext]_tvars

\* Violated exactly when the whole trace was matched: the trace is accepted.
TraceNotConsumed == l <= Len(Trace)
=============================================================================
