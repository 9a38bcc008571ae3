/**
 * The node's rules as a pure state machine: {@link io.github.posj.core.node.Node} applies {@link
 * io.github.posj.core.node.NodeCommand}s and returns {@link io.github.posj.core.node.NodeEvent}s;
 * {@link io.github.posj.core.node.NodeRules} holds what an operator may set. See docs/core.md, "The
 * node".
 */
package io.github.posj.core.node;
