// Boutons « Copier » de la page des tickets (amélioration progressive) : sans JavaScript,
// ils restent cachés et le texte se sélectionne à la main. Le texte de chaque message vient
// des attributs data-done et data-failed du gabarit, aucun mot n'est écrit ici.
(function () {
  'use strict';

  // Copie par l'API du presse-papiers, sinon par une sélection et execCommand.
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var done = false;
      try {
        done = document.execCommand('copy');
      } catch (e) {
        done = false;
      }
      document.body.removeChild(area);
      if (done) {
        resolve();
      } else {
        reject(new Error('copy'));
      }
    });
  }

  // Sélectionne le texte visé, pour que l'on puisse le copier à la main si la copie échoue.
  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function say(button, text) {
    var status = button.parentNode.querySelector('.copy-status');
    if (status) {
      status.textContent = text;
    }
  }

  var buttons = document.querySelectorAll('button[data-copy]');
  Array.prototype.forEach.call(buttons, function (button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) {
      return;
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      copy(target.textContent).then(function () {
        say(button, button.getAttribute('data-done') || '');
      }, function () {
        select(target);
        say(button, button.getAttribute('data-failed') || '');
      });
    });
  });
}());
