import { connect } from '../shared/vscodeApi';
import { InspectorView } from './inspectorView';

const channel = connect('inspector');
let view: InspectorView | undefined;

channel.ready((message) => {
  switch (message.type) {
    case 'inspector': {
      channel.save({ uri: message.uri });
      const saved = channel.saved();
      view?.dispose();
      view = new InspectorView(channel, message.model);
      void view.restore(saved, message.model.pfnText, message.model.afterStep);
      return;
    }
    case 'inspect':
      void view?.inspectAt(message.text, message.afterStep);
      return;
    default: {
      const never: never = message;
      throw new Error(`unexpected message ${JSON.stringify(never)}`);
    }
  }
});
