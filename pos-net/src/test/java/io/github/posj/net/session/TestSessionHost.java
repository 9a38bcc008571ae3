package io.github.posj.net.session;

import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.node.Node;
import io.github.posj.core.node.NodeCommand;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.node.NodeRules;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.InMemoryChainStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session host over a real {@link Node} (stakes 1 to 1,000, 10 proposals a round) that records
 * what the sessions asked, admits or refuses connections as told, and can be told to refuse the
 * next stakes or proposals with a given event. Every validator's address is {@link #ALICE}'s
 * material, so one host registers one validator.
 */
final class TestSessionHost implements SessionHost {
  /** The address every registration gets. */
  static final ValidatorId ALICE = ValidatorId.derive(new byte[Hash.LENGTH]);

  private static final Instant TIME = Instant.parse("2026-11-24T05:37:39Z");

  private final Chain genesis = Chain.genesis(HashScheme.posj(), "2026-11-24 05:37:39 +0000 UTC");
  private final Node node =
      new Node(
          genesis,
          new InMemoryChainStore(genesis),
          new NodeRules(1, 1_000, 10),
          RandomnessSource.seeded(1));

  boolean admit = true;
  NodeEvent refuseStake;
  NodeEvent refuseProposal;
  final List<ValidatorSession> admitted = new ArrayList<>();
  final List<Long> registeredStakes = new ArrayList<>();
  final List<Long> proposals = new ArrayList<>();
  final List<ValidatorId> slashed = new ArrayList<>();
  final List<ValidatorSession> left = new ArrayList<>();

  @Override
  public Chain chain() {
    return node.chain();
  }

  @Override
  public boolean admit(ValidatorSession session) {
    admitted.add(session);
    return admit;
  }

  @Override
  public NodeEvent register(long stake) {
    if (refuseStake != null) {
      return refuseStake;
    }
    NodeEvent event =
        node.apply(new NodeCommand.Register(stake, Hash.of(new byte[Hash.LENGTH]))).get(0);
    if (event instanceof NodeEvent.Registered) {
      registeredStakes.add(stake);
    }
    return event;
  }

  @Override
  public NodeEvent propose(ValidatorId validator, long bpm) {
    if (refuseProposal != null) {
      return refuseProposal;
    }
    NodeEvent event = node.apply(new NodeCommand.Propose(validator, bpm, TIME)).get(0);
    if (event instanceof NodeEvent.ProposalAccepted) {
      proposals.add(bpm);
    }
    return event;
  }

  @Override
  public Optional<NodeEvent.Slashed> proposeMalformed(ValidatorId validator, String bpm) {
    slashed.add(validator);
    return node.apply(new NodeCommand.ProposeMalformed(validator, bpm)).stream()
        .map(NodeEvent.Slashed.class::cast)
        .findFirst();
  }

  @Override
  public void withdraw(ValidatorId validator) {
    node.apply(new NodeCommand.Leave(validator));
  }

  @Override
  public void leave(ValidatorSession session) {
    left.add(session);
    session.validator().ifPresent(validator -> node.apply(new NodeCommand.Leave(validator)));
  }
}
