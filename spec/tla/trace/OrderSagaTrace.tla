--------------------------- MODULE OrderSagaTrace ---------------------------
(***************************************************************************)
(* Trace validation of projected order traces against OrderSaga (the      *)
(* pattern of etcd-io/raft's and CCF's trace specs), every order of a run  *)
(* in one TLC run.  The ndjson file named by the environment variable      *)
(* TRACE_FILE (checker/tracemodel.WriteTLC) holds one segment per line:    *)
(* an order's model constants and its projected steps.  Each segment is an *)
(* independent instance M(s) of OrderSaga with its own constants: an       *)
(* initial state picks a segment (seg) and M(seg)'s initial state, and     *)
(* every step keeps seg, so the state graph is the disjoint union of the   *)
(* segments' graphs.  l is the index of the segment's next step to match;  *)
(* each logged step is the OrderSaga action it names and must append      *)
(* exactly the logged events; between logged steps the model may take the *)
(* unlogged steps of checker/tracemodel/doc.go.  TLC explores everything;  *)
(* the constraint Track keeps in TLC register s the largest l reached in  *)
(* segment s (run with -workers 1: registers are per worker), and the     *)
(* postcondition prints it: segment s is accepted when l = Len(steps) + 1 *)
(* was reached, otherwise step l (1-based) is the first TLC cannot match. *)
(***************************************************************************)
EXTENDS Integers, Sequences, TLC, IOUtils, Json

Lines == ndJsonDeserialize(IOEnv.TRACE_FILE)
Segs  == DOMAIN Lines
Tr    == [s \in Segs |-> Lines[s].steps]
Ord   == [s \in Segs |-> Lines[s].order]

SetOf(q) == {q[i] : i \in DOMAIN q}

VARIABLES log, handled, projection, stock0, bal0, bus, parted, ordersWork, wb,
          placeOp, cancelOp, cancelVer, readObs, readsLeft,
          dupLeft, crashLeft, partLeft
VARIABLES seg, l, pending
vars  == <<log, handled, projection, stock0, bal0, bus, parted, ordersWork, wb,
           placeOp, cancelOp, cancelVer, readObs, readsLeft,
           dupLeft, crashLeft, partLeft>>
tvars == <<vars, seg, l, pending>>

\* Segment s's model: OrderSaga with the constants of its line.
M(s) == INSTANCE OrderSaga WITH
          Orders <- {Lines[s].order}, Bug <- Lines[s].bug,
          StockInit <- SetOf(Lines[s].stock_init), BalanceInit <- SetOf(Lines[s].balance_init),
          Qty <- Lines[s].qty, Amount <- Lines[s].amount, MaxDup <- Lines[s].max_dup,
          MaxCrash <- Lines[s].max_crash, MaxPartition <- 0, MaxRead <- Lines[s].max_read

\* The status each read of segment s returned, by read number.
ReadNums(s) == {Tr[s][i].read : i \in {j \in DOMAIN Tr[s] : Tr[s][j].kind = "read-open"}}
ReadGot == [s \in Segs |-> [n \in ReadNums(s) |->
              Tr[s][CHOOSE i \in DOMAIN Tr[s] : Tr[s][i].kind = "read-open" /\ Tr[s][i].read = n].got]]

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

\* --- logged steps of segment s: l advances ---------------------------------
Handle(s, ob) ==
    LET c == ob.consumer IN
    IF c # "orders" THEN M(s)!DeliverEv(c, ob.id) /\ Delta(ob.events)
    ELSE IF ob.events = << >>
         THEN M(s)!OrdersDecideEv(ob.id) /\ ordersWork' = M(s)!NoWork /\ Delta(ob.events)
         ELSE ordersWork.id = ob.id /\ M(s)!OrdersAppend /\ Delta(ob.events)

Crash(s, ob) ==
    IF ob.consumer = "orders" /\ ENABLED M(s)!CrashOrders THEN M(s)!CrashOrders ELSE UNCHANGED vars

Logged(s) ==
    /\ l <= Len(Tr[s])
    /\ l' = l + 1
    /\ LET ob == Tr[s][l]
           o  == Ord[s]
       IN
       CASE ob.kind = "place"  -> M(s)!Place(o) /\ Delta(ob.events) /\ UNCHANGED pending
         [] ob.kind = "flush"  -> M(s)!Flush(o) /\ Delta(ob.events) /\ UNCHANGED pending
         [] ob.kind = "cancel" -> M(s)!CancelAppend(o) /\ Delta(ob.events) /\ UNCHANGED pending
         [] ob.kind = "handle" -> Handle(s, ob) /\ UNCHANGED pending
         [] ob.kind = "crash"  -> Crash(s, ob) /\ UNCHANGED pending
         [] ob.kind = "read-open"  -> pending' = pending \cup {ob.read} /\ UNCHANGED vars
         [] ob.kind = "read-close" -> ob.read \notin pending /\ UNCHANGED <<vars, pending>>
         [] ob.kind = "end" ->
               /\ pending = {}
               /\ LET blocked == {<<ob.blocked[i].consumer, ob.blocked[i].id>> : i \in DOMAIN ob.blocked}
                      left(c) == bus[c] \ {id \in DOMAIN log : <<c, id>> \in blocked}
                  IN  /\ \A c \in M(s)!Consumers : \A id \in left(c) :
                            ~(M(s)!IsDup(c, id) \/ M(s)!InOrder(c, id))
                      /\ ordersWork = M(s)!NoWork /\ wb = {} /\ cancelOp[o] # "pending"
               /\ UNCHANGED <<vars, pending>>

\* --- unlogged steps of segment s: l stays ---------------------------------
Decision(ob) == ob.kind = "handle" /\ ob.id \in DOMAIN log /\
                \/ ob.consumer = "inventory" /\ log[ob.id].type = "OrderPlaced"
                \/ ob.consumer = "payment" /\ log[ob.id].type = "OrderReserved"

Silent(s) ==
    /\ UNCHANGED l
    /\ LET o == Ord[s] IN
       \/ Lines[s].cancels /\ M(s)!CancelDecide(o) /\ UNCHANGED pending
       \/ M(s)!CancelAppend(o) /\ log' = log /\ UNCHANGED pending
       \/ \E id \in DOMAIN log : M(s)!OrdersDecideEv(id) /\ ordersWork' # M(s)!NoWork /\ UNCHANGED pending
       \/ M(s)!OrdersAppend /\ log' = log /\ UNCHANGED pending
       \/ \E n \in pending : M(s)!ReadStrong(o) /\ readObs'[o].got = ReadGot[s][n] /\ pending' = pending \ {n}
       \/ /\ l <= Len(Tr[s])
          /\ LET ob == Tr[s][l] IN
             \* before a handling: a redelivery, and the environment's move of the shared stock or balance
             \/ /\ ob.kind = "handle" /\ ob.id \notin bus[ob.consumer]
                /\ M(s)!DuplicateEv(ob.consumer, ob.id) /\ UNCHANGED pending
             \/ /\ Decision(ob) /\ ob.consumer = "inventory"
                /\ stock0' \in SetOf(Lines[s].stock_init) /\ Others(bal0) /\ UNCHANGED pending
             \/ /\ Decision(ob) /\ ob.consumer = "payment"
                /\ bal0' \in SetOf(Lines[s].balance_init) /\ Others(stock0) /\ UNCHANGED pending
             \* a crash may lose deliveries in flight (commit-before-process)
             \/ /\ ob.kind = "crash"
                /\ \E i \in DOMAIN ob.lost : M(s)!CrashAfterCommitEv(ob.consumer, ob.lost[i])
                /\ UNCHANGED pending

TraceInit ==
    /\ \A s \in Segs : TLCSet(s, 0)
    /\ \E s \in Segs : seg = s /\ M(s)!Init
    /\ l = 1 /\ pending = {}
TraceNext == \E s \in Segs : seg = s /\ UNCHANGED seg /\ (Logged(s) \/ Silent(s))
TraceSpec == TraceInit /\ [][TraceNext]_tvars

\* State constraint (always true): register seg holds the largest l reached.
Track == l > TLCGet(seg) => TLCSet(seg, l)

\* Postcondition: one line per segment, <<"reached", s, l>> (l = Len + 1:
\* the whole segment was matched).
Reached == \A s \in Segs : PrintT(<<"reached", s, TLCGet(s)>>)
=============================================================================
