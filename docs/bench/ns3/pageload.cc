// pageload.cc: the work of docs/bench's keepalive program, in ns-3 (3.37).
//
// Two nodes on one point-to-point link: 10 Mbit/s each way, 50 ms one-way
// delay, a drop-tail queue of 1000 packets in each device and no queue
// disc (the one Ipv4AddressHelper::Assign installs is removed), so that a
// packet waits only in the device, as on keepalive's link; the device
// adds a 2-byte PPP header to each packet, which keepalive's link does
// not (1502 bytes on the wire for 1500 of IP). TCP NewReno
// with classic (RFC 6582) recovery, not ns-3's default PRR; MSS 1460; an
// initial window of 10; an ACK every second segment or after 40 ms; no
// SACK and no timestamps, as keepalive's tcp.profile rfc (RFC 6298's 1 s
// initial and minimum RTO on both sides).
//
// Cases (--case):
//   page  a base document, then 50 objects, over HTTP/1.1-style persistent
//         connections: the document on one connection; when it has
//         arrived, the 50 objects are queued, the first connection takes
//         the next and five more are opened, each taking the next object
//         when it is open and again whenever its previous response has
//         arrived (one request at a time per connection, no pipelining);
//   1MB   one response of 1,000,000 bytes on one connection;
//   10MB  one response of 10,000,000 bytes on one connection.
// A request carries the size it asks for in its first bytes; the server
// answers with a response head and that many body bytes. The default head
// and request sizes are the ones keepalive's model counts for the same
// page (run.sh passes the model's figures, so both send the same bytes).
//
// Each of --runs repetitions builds the topology, runs the simulation
// until no event is left and destroys it, so that one process times many
// loads. It prints one line of key=value fields: the load time (from the
// first SYN to the last response byte at the client), the packets the two
// devices put on the wire (both directions; all of them, and those that
// started before the last byte arrived), the packets dropped because a
// device queue was full (ns-3 drops them in the traffic-control layer,
// which stops sending to a full device), and the process's CPU time over
// the repetitions alone (getrusage, without process start).
//
// --trace=PREFIX writes an ascii trace (PREFIX.tr: enqueue, dequeue,
// and receive at each device, with the TCP header), pcap files
// (PREFIX-N-0.pcap) and PREFIX.drops (the drops) of the first run.

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <sys/resource.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const uint16_t kPort = 80;

// What one run counts.
uint64_t g_wire = 0;  // packets whose transmission began, both devices
uint64_t g_drops = 0; // packets refused for a full queue
bool g_done = false;
Time g_doneAt;
uint64_t g_wireAtDone = 0;

void
OnPhyTxBegin(Ptr<const Packet>)
{
    ++g_wire;
}

// A full device queue stops itself (flow control: NetDeviceQueue), and
// the traffic-control layer, with no queue disc, then discards what IP
// hands it, silently: no trace source fires. So a drop is counted where
// IP sends a packet while its device's queue is stopped, which is the
// test the traffic-control layer makes.
Ptr<NetDeviceQueue> g_txq[2];

// With --trace, each drop is also written to PREFIX.drops: time, node,
// TCP sequence and acknowledgement numbers and payload bytes (the ascii
// trace has no line for them).
FILE* g_dropLog = nullptr;

void
OnIpTx(uint32_t node, Ptr<const Packet> p, Ptr<Ipv4>, uint32_t)
{
    if (!g_txq[node]->IsStopped())
    {
        return;
    }
    ++g_drops;
    if (g_dropLog)
    {
        Ptr<Packet> c = p->Copy();
        Ipv4Header ip;
        TcpHeader tcp;
        c->RemoveHeader(ip);
        c->RemoveHeader(tcp);
        std::fprintf(g_dropLog, "%.6f %s seq=%u ack=%u len=%u\n", Simulator::Now().GetSeconds(),
                     node == 0 ? "client" : "server", tcp.GetSequenceNumber().GetValue(),
                     tcp.GetAckNumber().GetValue(), c->GetSize());
    }
}

// Sizes of the bytes exchanged.
struct Sizes
{
    uint32_t request = 372;     // a GET with its headers
    uint32_t headFirst = 285;   // the base document's response head
    uint32_t headObject = 271;  // an object's response head
};

// The server: reads fixed-size requests, each naming the body size it
// wants in its first bytes (decimal), and writes head + body as the send
// buffer allows.
class Server
{
  public:
    Server(Ptr<Node> node, const Sizes& sizes)
        : m_sizes(sizes)
    {
        m_listen = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
        m_listen->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
        m_listen->Listen();
        m_listen->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                    MakeCallback(&Server::Accepted, this));
    }

  private:
    struct Conn
    {
        std::string in;      // request bytes not yet parsed
        uint64_t toSend = 0; // response bytes not yet handed to TCP
    };

    void Accepted(Ptr<Socket> s, const Address&)
    {
        m_conns.emplace_back();
        size_t i = m_conns.size() - 1;
        s->SetRecvCallback(MakeBoundCallback(&Server::RecvThunk, this, i));
        s->SetSendCallback(MakeBoundCallback(&Server::SendThunk, this, i));
    }

    static void RecvThunk(Server* srv, size_t i, Ptr<Socket> s)
    {
        srv->Recv(i, s);
    }

    static void SendThunk(Server* srv, size_t i, Ptr<Socket> s, uint32_t)
    {
        srv->Push(i, s);
    }

    void Recv(size_t i, Ptr<Socket> s)
    {
        Conn& c = m_conns[i];
        Ptr<Packet> p;
        while ((p = s->Recv()))
        {
            size_t n = p->GetSize();
            size_t at = c.in.size();
            c.in.resize(at + n);
            p->CopyData(reinterpret_cast<uint8_t*>(&c.in[at]), n);
        }
        while (c.in.size() >= m_sizes.request)
        {
            uint64_t body = std::strtoull(c.in.c_str(), nullptr, 10);
            uint32_t head = m_served++ == 0 ? m_sizes.headFirst : m_sizes.headObject;
            c.toSend += head + body;
            c.in.erase(0, m_sizes.request);
        }
        Push(i, s);
    }

    void Push(size_t i, Ptr<Socket> s)
    {
        Conn& c = m_conns[i];
        while (c.toSend > 0)
        {
            uint32_t room = s->GetTxAvailable();
            if (room == 0)
            {
                return; // the send callback calls again
            }
            uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(c.toSend, room));
            int sent = s->Send(Create<Packet>(n)); // n zero bytes, never allocated
            if (sent <= 0)
            {
                return;
            }
            c.toSend -= sent;
        }
    }

    Sizes m_sizes;
    Ptr<Socket> m_listen;
    std::deque<Conn> m_conns;
    uint32_t m_served = 0;
};

// The client: a queue of body sizes to fetch and up to `parallel`
// persistent connections, one request outstanding on each.
class Client
{
  public:
    Client(Ptr<Node> node, Ipv4Address server, const Sizes& sizes)
        : m_node(node),
          m_server(server),
          m_sizes(sizes)
    {
    }

    // Load fetches first on one connection, then, once it has arrived,
    // rest over up to parallel connections.
    void Load(uint64_t first, uint32_t objects, uint64_t objectBytes, uint32_t parallel)
    {
        m_objects = objects;
        m_objectBytes = objectBytes;
        m_parallel = parallel;
        m_queue.push_back(first);
        m_left = 1 + objects;
        Open();
    }

  private:
    struct Conn
    {
        Ptr<Socket> s;
        bool open = false;
        uint64_t remaining = 0; // response bytes still to come; 0: idle
    };

    void Open()
    {
        m_conns.emplace_back();
        size_t i = m_conns.size() - 1;
        Ptr<Socket> s = Socket::CreateSocket(m_node, TcpSocketFactory::GetTypeId());
        m_conns[i].s = s;
        s->Bind();
        s->SetConnectCallback(MakeBoundCallback(&Client::ConnectedThunk, this, i),
                              MakeBoundCallback(&Client::FailedThunk, this, i));
        s->SetRecvCallback(MakeBoundCallback(&Client::RecvThunk, this, i));
        s->Connect(InetSocketAddress(m_server, kPort));
    }

    static void ConnectedThunk(Client* c, size_t i, Ptr<Socket>)
    {
        c->m_conns[i].open = true;
        c->Next(i);
    }

    static void FailedThunk(Client*, size_t i, Ptr<Socket>)
    {
        std::fprintf(stderr, "pageload: connection %zu failed\n", i + 1);
        std::exit(1);
    }

    static void RecvThunk(Client* c, size_t i, Ptr<Socket> s)
    {
        c->Recv(i, s);
    }

    // Next sends connection i the next queued request, if any.
    void Next(size_t i)
    {
        Conn& c = m_conns[i];
        if (!c.open || c.remaining > 0 || m_queue.empty())
        {
            return;
        }
        uint64_t body = m_queue.front();
        m_queue.pop_front();
        uint32_t head = m_requests++ == 0 ? m_sizes.headFirst : m_sizes.headObject;
        c.remaining = head + body;
        std::vector<uint8_t> req(m_sizes.request, ' ');
        int n = std::snprintf(reinterpret_cast<char*>(req.data()), req.size(), "%" PRIu64, body);
        req[n] = ' '; // snprintf's NUL
        c.s->Send(Create<Packet>(req.data(), req.size()));
    }

    void Recv(size_t i, Ptr<Socket> s)
    {
        Conn& c = m_conns[i];
        Ptr<Packet> p;
        while ((p = s->Recv()))
        {
            c.remaining -= p->GetSize();
        }
        if (c.remaining > 0)
        {
            return;
        }
        if (--m_left == 0)
        {
            g_done = true;
            g_doneAt = Simulator::Now();
            g_wireAtDone = g_wire;
            return;
        }
        if (m_requests == 1)
        {
            // The base document has arrived: it names the objects.
            for (uint32_t k = 0; k < m_objects; ++k)
            {
                m_queue.push_back(m_objectBytes);
            }
            Next(i);
            // ns-3 hands a Send's data to IP one time step later (its
            // SendPendingData event), but a Connect's SYN at once: open
            // the new connections a step later too, so that the request
            // leaves first, as in keepalive (and as a kernel sends a
            // write at once). Otherwise the five SYN-ACKs overtake the
            // response on the server's link and every later object
            // arrives 8 ms earlier than keepalive's.
            Simulator::Schedule(TimeStep(1), &Client::OpenMore, this);
            return;
        }
        Next(i);
    }

    void OpenMore()
    {
        while (m_conns.size() < m_parallel && m_conns.size() < m_objects)
        {
            Open();
        }
    }

    Ptr<Node> m_node;
    Ipv4Address m_server;
    Sizes m_sizes;
    std::deque<Conn> m_conns;
    std::deque<uint64_t> m_queue;
    uint32_t m_objects = 0;
    uint64_t m_objectBytes = 0;
    uint32_t m_parallel = 1;
    uint32_t m_left = 0;
    uint32_t m_requests = 0;
};

struct Outcome
{
    double loadMs;
    uint64_t wire, wireToLoad, drops;
    uint64_t events;
};

Outcome
RunOnce(const std::string& scenario, const Sizes& sizes, const std::string& trace)
{
    g_wire = g_drops = g_wireAtDone = 0;
    g_done = false;

    NodeContainer nodes;
    nodes.Create(2); // 0: client, 1: server

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("50ms"));
    p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", StringValue("1000p"));
    NetDeviceContainer devs = p2p.Install(nodes);

    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.0.0", "255.255.255.252");
    Ipv4InterfaceContainer ifs = addr.Assign(devs);
    // Assign installed the default queue disc (FqCoDel) on each device;
    // without one, packets wait in the device's 1000-packet queue alone.
    TrafficControlHelper tch;
    tch.Uninstall(devs);

    for (uint32_t d = 0; d < devs.GetN(); ++d)
    {
        devs.Get(d)->TraceConnectWithoutContext("PhyTxBegin", MakeCallback(&OnPhyTxBegin));
        g_txq[d] = devs.Get(d)->GetObject<NetDeviceQueueInterface>()->GetTxQueue(0);
        nodes.Get(d)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Tx",
            MakeBoundCallback(&OnIpTx, d));
    }
    if (!trace.empty())
    {
        AsciiTraceHelper ascii;
        p2p.EnableAsciiAll(ascii.CreateFileStream(trace + ".tr"));
        p2p.EnablePcapAll(trace);
        g_dropLog = std::fopen((trace + ".drops").c_str(), "w");
    }

    Server server(nodes.Get(1), sizes);
    Client client(nodes.Get(0), ifs.GetAddress(1), sizes);
    if (scenario == "page")
    {
        client.Load(20000, 50, 10000, 6);
    }
    else if (scenario == "1MB")
    {
        client.Load(1000000, 0, 0, 1);
    }
    else
    {
        client.Load(10000000, 0, 0, 1);
    }

    Simulator::Run();
    Outcome o{};
    o.loadMs = g_done ? g_doneAt.GetSeconds() * 1e3 : -1;
    o.wire = g_wire;
    o.wireToLoad = g_wireAtDone;
    o.drops = g_drops;
    o.events = Simulator::GetEventCount();
    Simulator::Destroy();
    g_txq[0] = g_txq[1] = nullptr;
    if (g_dropLog)
    {
        std::fclose(g_dropLog);
        g_dropLog = nullptr;
    }
    return o;
}

double
CPUSeconds()
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string scenario = "page";
    uint32_t runs = 1;
    std::string trace;
    Sizes sizes;

    CommandLine cmd(__FILE__);
    cmd.AddValue("case", "page, 1MB or 10MB", scenario);
    cmd.AddValue("runs", "repetitions in this process (0: none, to time process start)", runs);
    cmd.AddValue("trace", "write PREFIX.tr (ascii), PREFIX-*.pcap and PREFIX.drops of the first run", trace);
    cmd.AddValue("request", "bytes of a request", sizes.request);
    cmd.AddValue("head-first", "bytes of the first response's head", sizes.headFirst);
    cmd.AddValue("head", "bytes of every later response's head", sizes.headObject);
    cmd.Parse(argc, argv);
    if (scenario != "page" && scenario != "1MB" && scenario != "10MB")
    {
        std::fprintf(stderr, "pageload: --case must be page, 1MB or 10MB, not %s\n",
                     scenario.c_str());
        return 2;
    }

    Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpNewReno::GetTypeId()));
    Config::SetDefault("ns3::TcpL4Protocol::RecoveryType",
                       TypeIdValue(TcpClassicRecovery::GetTypeId()));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1460));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(2));
    Config::SetDefault("ns3::TcpSocket::DelAckTimeout", TimeValue(MilliSeconds(40)));
    // keepalive's rfc profile: a 6 MiB receive window, no send-buffer
    // limit (ns-3's default 128 KiB buffers would cap the window).
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(6 << 20));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(32 << 20));
    Config::SetDefault("ns3::TcpSocket::ConnTimeout", TimeValue(Seconds(1))); // RFC 6298 §2.1
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(false));
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(false));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(Seconds(1)));
    Config::SetDefault("ns3::RttEstimator::InitialEstimation", TimeValue(Seconds(1)));

    double cpu0 = CPUSeconds();
    Outcome first{};
    for (uint32_t r = 0; r < runs; ++r)
    {
        Outcome o = RunOnce(scenario, sizes, r == 0 ? trace : "");
        if (r == 0)
        {
            first = o;
        }
        else if (o.wire != first.wire || o.loadMs != first.loadMs)
        {
            std::fprintf(stderr, "pageload: run %u differs from the first\n", r + 1);
            return 1;
        }
        if (o.loadMs < 0)
        {
            std::fprintf(stderr, "pageload: the load did not complete\n");
            return 1;
        }
    }
    double cpu = CPUSeconds() - cpu0;
    std::printf("sim=ns-3 case=%s runs=%u load_ms=%.3f packets=%" PRIu64
                " packets_to_load=%" PRIu64 " drops=%" PRIu64 " events=%" PRIu64
                " loop_cpu_s=%.6f\n",
                scenario.c_str(), runs, first.loadMs, first.wire, first.wireToLoad, first.drops,
                first.events, cpu);
    return 0;
}
